# shellcheck shell=bash
# Nante-WAN's data plane built with iproute2 on the seed topology
# (scripts/lib/topology.sh must be sourced and topo_up done, untagged): per CE
# a bridge with the edge port and a VXLAN device "vxlan99" (VNI 99, UDP 4789,
# no data-plane learning). This is the reference the benchmarks compare nwbpf
# with: the kernel's own bridge + VXLAN path, in the same topology.
#
# Differences from Nante-WAN's start.py, forced by the host kernel:
# - It has no CONFIG_BRIDGE_VLAN_FILTERING (and no 802.1Q devices), so the
#   VLAN-aware bridge with "vetha: 99 PVID untagged" becomes the equivalent
#   one-bridge-per-VNI form "br99" = {vetha, vxlan99}: the same bridge and
#   VXLAN forwarding code runs per packet.
# - There is no GRE (nor DMVPN) device, so VXLAN's local/remote addresses are
#   the NBMA addresses, as nwbpf sends them, instead of the gre1 overlay ones.
#
# Flooding: one all-zeros FDB entry per peer (ingress replication), as
# Nante-WAN's EVPN type-3 routes install. Unicast: one static entry per remote
# edge host MAC, as its EVPN type-2 routes would install; with `nolearning`
# nothing else fills the VXLAN FDB.
#
#   kp_up    build it on every CE

kp_up() {
  local ce peer host
  ((TOPO_TAGGED == 0)) || topo_die "kp_up: the kernel path is built on the untagged topology only"
  for ce in "${TOPO_CES[@]}"; do
    topo_exec "$ce" ip link add br99 type bridge
    topo_exec "$ce" ip link add vxlan99 type vxlan id "$TOPO_VLAN" dstport 4789 \
      local "${TOPO_WAN_ADDR[$ce]}" dev eth0 nolearning
    topo_exec "$ce" ip link set vxlan99 master br99
    topo_exec "$ce" ip link set vetha master br99
    for peer in "${TOPO_CES[@]}"; do
      [[ $peer == "$ce" ]] && continue
      topo_exec "$ce" bridge fdb append 00:00:00:00:00:00 dev vxlan99 dst "${TOPO_WAN_ADDR[$peer]}"
    done
    for host in "${TOPO_HOSTS[@]}"; do
      [[ ${TOPO_HOST_CE[$host]} == "$ce" ]] && continue
      topo_exec "$ce" bridge fdb add "${TOPO_HOST_MAC[$host]}" dev vxlan99 \
        dst "${TOPO_WAN_ADDR[${TOPO_HOST_CE[$host]}]}" self permanent
    done
    topo_exec "$ce" ip link set vxlan99 up
    topo_exec "$ce" ip link set br99 up
  done
}
