/* SPDX-License-Identifier: Apache-2.0 */
/* Ingress-replication list of a VNI (map "flood", key: __u32 VNI). */
#ifndef NWBPF_MAPS_FLOOD_H
#define NWBPF_MAPS_FLOOD_H

#include "nwbpf/abi.h"
#include "nwbpf/consts.h"

struct nwbpf_flood {
	__u32 count;
	__be32 vtep[NWBPF_MAX_FLOOD_VTEPS]; /* overlay addresses, keys of "peers" */
};
NWBPF_ASSERT_SIZE(struct nwbpf_flood, 4 + 4 * NWBPF_MAX_FLOOD_VTEPS);

#endif
