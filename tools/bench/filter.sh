#!/usr/bin/env bash
#
# Outbound filter benchmark, in network namespaces (root):
#
#   tools/bench/filter.sh [--rules 10000] [--entries 50000] [--seconds 10]
#
# A LAN namespace -> a gateway namespace (the filter's table) -> a cloud namespace with an iperf3 server. Sitegate's
# table for N random CIDR rules (mixed prefix lengths, a quarter with a TCP port, a fifth deny, an allow list) plus
# M entries in an allowed name's timeout set, rendered by the filter's own code (FilterBench), against the peer
# approach: the same rules as one linear chain (one rule per CIDR, as iptables-style firewalls do). Reports:
#   1. load time of each table (nft -f, one transaction; median of 5) and of the M set entries;
#   2. the time from a DNS answer to its set entry, as the filter adds it (one nft transaction per answer);
#   3. TCP throughput LAN -> cloud through the gateway (iperf3, one stream, S s; 3 rounds in which no table, the
#      linear chain and Sitegate's alternate; medians): the ratios to no table (target: Sitegate >= 0.9).
# Results: target/bench-filter/result.txt. Needs root, nftables, iperf3 (apt-get install iperf3), a built tree.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
RULES=10000 ENTRIES=50000 SECONDS_=10
while [ $# -gt 0 ]; do
    case "$1" in
        --rules) RULES=$2; shift 2 ;;
        --entries) ENTRIES=$2; shift 2 ;;
        --seconds) SECONDS_=$2; shift 2 ;;
        *) echo "usage: $0 [--rules N] [--entries M] [--seconds S]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "filter.sh: run as root (network namespaces)" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "filter.sh: apt-get install iperf3" >&2; exit 1; }
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
CP="$REPO/bundles/filter/target/classes:$REPO/bundles/filter/target/test-classes"
[ -f "$REPO/bundles/filter/target/test-classes/io/sitegate/filter/internal/FilterBench.class" ] \
    || { echo "filter.sh: build first (mvn install -DskipTests; mvn -pl bundles/filter test-compile)" >&2; exit 1; }
OUT="$REPO/target/bench-filter"
mkdir -p "$OUT"
LAN=sgbf-lan GW=sgbf-gw CLOUD=sgbf-cloud

cleanup() {
    for ns in $LAN $GW $CLOUD; do
        ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del $ns 2>/dev/null || true
    done
}
trap cleanup EXIT
cleanup
for ns in $LAN $GW $CLOUD; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add sgbf-l0 netns $LAN type veth peer name sgbf-l1 netns $GW
ip link add sgbf-c0 netns $CLOUD type veth peer name sgbf-c1 netns $GW
ip -n $LAN addr add 172.30.1.2/24 dev sgbf-l0; ip -n $LAN link set sgbf-l0 up; ip -n $LAN route add default via 172.30.1.1
ip -n $GW addr add 172.30.1.1/24 dev sgbf-l1; ip -n $GW link set sgbf-l1 up
ip -n $GW addr add 172.30.2.1/24 dev sgbf-c1; ip -n $GW link set sgbf-c1 up; ip -n $GW route add default via 172.30.2.2
ip netns exec $GW sysctl -qw net.ipv4.ip_forward=1
ip -n $CLOUD addr add 172.30.2.2/24 dev sgbf-c0; ip -n $CLOUD link set sgbf-c0 up; ip -n $CLOUD route add 172.30.1.0/24 via 172.30.2.1
ip -n $CLOUD addr add 198.51.100.10/32 dev lo
ip netns exec $CLOUD iperf3 -s -D -B 198.51.100.10 >/dev/null

"$JH/bin/java" -cp "$CP" io.sitegate.filter.internal.FilterBench render "$OUT" "$RULES" "$ENTRIES" sgbf-l1 sgbf-c1 | tee "$OUT/render.txt"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load_ms() { # median of 5 loads of a file into the gateway namespace
    for _ in 1 2 3 4 5; do
        local s e
        s=$(date +%s%N); ip netns exec $GW nft -f "$1"; e=$(date +%s%N)
        echo $(( (e - s) / 1000000 ))
    done | median
}

throughput1() { # Mbit/s of one run
    ip netns exec $LAN iperf3 -c 198.51.100.10 -t "$SECONDS_" -J | "$JH/bin/java" -cp "$CP" io.sitegate.filter.internal.FilterBench mbps
}
linear_load=$(load_ms "$OUT/linear.nft")
ip netns exec $GW nft delete table inet sitegate
sitegate_load=$(load_ms "$OUT/sitegate.nft")
s=$(date +%s%N); ip netns exec $GW nft -f "$OUT/entries.nft"; e=$(date +%s%N)
entries_ms=$(( (e - s) / 1000000 ))
listed=$(ip netns exec $GW nft list set inet sitegate fqdn_allow_v4_32_tcp_443 | grep -o 'timeout' | wc -l)
answer=$("$JH/bin/java" -cp "$CP" io.sitegate.filter.internal.FilterBench answer $GW 500)
# throughput: the three set-ups alternate, 3 rounds, so that a slower moment of the machine hits each alike
: > "$OUT/none.txt"; : > "$OUT/linear.txt"; : > "$OUT/sitegate.txt"
for _ in 1 2 3; do
    ip netns exec $GW nft delete table inet sitegate 2>/dev/null || true
    throughput1 >> "$OUT/none.txt"
    ip netns exec $GW nft -f "$OUT/linear.nft"
    throughput1 >> "$OUT/linear.txt"
    ip netns exec $GW nft -f "$OUT/sitegate.nft"
    ip netns exec $GW nft -f "$OUT/entries.nft"
    throughput1 >> "$OUT/sitegate.txt"
done
none=$(median < "$OUT/none.txt")
linear=$(median < "$OUT/linear.txt")
sitegate=$(median < "$OUT/sitegate.txt")

{
    echo "filter benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, nft $(nft --version | awk '{print $2}')"
    cat "$OUT/render.txt"
    echo "load: Sitegate's table ${sitegate_load} ms; linear chain (peer) ${linear_load} ms (median of 5)"
    echo "load: ${ENTRIES} name set entries ${entries_ms} ms (${listed} in the set afterwards, incl. its element timeouts)"
    echo "$answer (with ${ENTRIES} entries in the set)"
    echo "throughput LAN -> cloud (iperf3 TCP, ${SECONDS_} s, median of 3 alternating rounds): no table ${none} Mbit/s; Sitegate ${sitegate} Mbit/s" \
        "($(awk -v a="$sitegate" -v b="$none" 'BEGIN {printf "%.2f", a/b}')x); linear chain ${linear} Mbit/s" \
        "($(awk -v a="$linear" -v b="$none" 'BEGIN {printf "%.2f", a/b}')x)"
} | tee "$OUT/result.txt"
