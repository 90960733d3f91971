// SPDX-License-Identifier: Apache-2.0
// Makes an edge host's vethb a member of VLAN 99, tagged, in the tagged-port
// tests. The host kernel has no 802.1Q devices (CONFIG_VLAN_8021Q is off), so
// "vethb.99" cannot exist; these two TC programs do its job on vethb.
//
// Egress writes the tag into the frame itself, as a VLAN device does when the
// lower device has tx VLAN offload off. An skb "hardware" tag (what
// bpf_skb_vlan_push makes) would be invisible to the CE's XDP program: veth
// passes it beside the data, not in it.
//
// Ingress: the kernel has already moved any received tag out of the data into
// the skb (skb_vlan_untag), so it is read from skb->vlan_tci. Anything that is
// not VLAN 99 tagged is dropped: a CE that sends untagged frames out of a
// tagged port must fail the test, not be let through.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define HOST_VLAN 99
#define VLAN_VID_MASK 0x0fff

SEC("tc/egress")
int vlan_host_egress(struct __sk_buff *skb)
{
	__u8 macs[2 * ETH_ALEN];
	__be16 tag[2] = { bpf_htons(ETH_P_8021Q), bpf_htons(HOST_VLAN) };

	// Room for the tag in front, then dst+src move to the new start and the
	// tag lands between them and the original EtherType.
	if (skb->vlan_present || bpf_skb_load_bytes(skb, 0, macs, sizeof(macs)))
		return TC_ACT_SHOT;
	if (bpf_skb_change_head(skb, sizeof(tag), 0))
		return TC_ACT_SHOT;
	if (bpf_skb_store_bytes(skb, 0, macs, sizeof(macs), 0) ||
	    bpf_skb_store_bytes(skb, sizeof(macs), tag, sizeof(tag), 0))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

SEC("tc/ingress")
int vlan_host_ingress(struct __sk_buff *skb)
{
	if (!skb->vlan_present || skb->vlan_proto != bpf_htons(ETH_P_8021Q) ||
	    (skb->vlan_tci & VLAN_VID_MASK) != HOST_VLAN)
		return TC_ACT_SHOT;
	return bpf_skb_vlan_pop(skb) ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
