/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data plane's entry points, one per attach point; the logic is in
 * lib/ (forward.h decides, xdp_path.h and tc_path.h act).
 *   xdp_edge / tc_edge   edge ports: switch, encapsulate, flood
 *   xdp_wan / tc_wan     WAN device: accept VXLAN from peers, decapsulate
 *   tc_tunnel            collect_md VXLAN device (kernel-tunnel mode)
 */
#include "lib/common.h"
#include "lib/tc_path.h"
#include "lib/xdp_path.h"

SEC("xdp")
int xdp_edge(struct xdp_md *ctx)
{
	return xdp_edge_run(ctx);
}

SEC("xdp")
int xdp_wan(struct xdp_md *ctx)
{
	return xdp_wan_run(ctx);
}

SEC("tc")
int tc_edge(struct __sk_buff *skb)
{
	return tc_edge_run(skb);
}

SEC("tc")
int tc_wan(struct __sk_buff *skb)
{
	return tc_wan_run(skb);
}

SEC("tc")
int tc_tunnel(struct __sk_buff *skb)
{
	return tc_tunnel_run(skb);
}

char LICENSE[] SEC("license") = "GPL";
