#!/usr/bin/env bash
#
# Failover benchmark of the tunnel supervisor with the real daemons (tools/lab/tunnels.sh):
#
#   tools/bench/tunnel-failover.sh [--rounds N] [--idle S] [--probe-interval S] [--keepalive S] [--keep]
#   (BENCH_PREFIX=sgbf: the lab's namespace prefix, to run two at once; --rounds 0: the idle figure only)
#
# Boots the built distribution (karaf-assembly/target/sitegate-karaf-*.tar.gz, as root: its tunnels run
# in the lab's gw namespace) with two OpenVPN tunnels, primary (vpn1, priority 100) and backup (vpn2,
# priority 50), both eu. Then:
#   1. idle: for S s (default 300) no LAN traffic; the bytes each tunnel's peer exchanged with the gateway
#      are counted by nftables in the gw namespace (keepalives, probes, rekeying: what keeping a tunnel up
#      costs on the cellular link), reported per hour, beside what the gateway itself counts (tunnel-list);
#   2. N rounds (default 20): the LAN client pings the cloud host every 0.1 s; vpn1's OpenVPN server is
#      killed (-9); the gap is the longest time between two answers at the LAN client; vpn1 is started
#      again and the route must come back to sg-primary after the hold-down (failback). `ip monitor route`
#      counts every move of the cloud prefix: more than 2 per round is flapping.
# Probe settings (default probe.interval 1, probe.failures 2, probe.successes 2, failback.holdDown 5,
# keepalive 10 / keepalive.timeout 30) are those of a deployment that wants failover in seconds; the idle
# figure is for them, --probe-interval / --keepalive change them. The lab's OpenVPN servers ping at the
# same interval as the gateway's keepalive (LAB_SERVER_PING), as a deployment's servers would.
# Results: target/bench-tunnel/result.txt. Needs root, the lab's packages (see tools/lab/tunnels.sh), ssh-keygen, ssh.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=20 IDLE=300 PROBE=1 KEEPALIVE=10 KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --idle) IDLE=$2; shift 2 ;;
        --probe-interval) PROBE=$2; shift 2 ;;
        --keepalive) KEEPALIVE=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        *) echo "usage: $0 [--rounds N] [--idle S] [--probe-interval S] [--keepalive S] [--keep]" >&2; exit 2 ;;
    esac
done
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
[ "$(id -u)" = 0 ] || { echo "tunnel-failover.sh: run as root (network namespaces)" >&2; exit 1; }
TARBALL=$(ls -t "$REPO"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)
[ -n "$TARBALL" ] || { echo "tunnel-failover.sh: build first (mvn install -DskipTests)" >&2; exit 1; }

P=${BENCH_PREFIX:-sgbf}
WORK=$(mktemp -d /tmp/sg-bench-tunnel.XXXXXX)
LAB=$WORK/lab
SG=$WORK/sg
OUT=$REPO/target/bench-tunnel
mkdir -p "$OUT"
RESULT=$OUT/result.txt
log() { echo "tunnel-failover.sh: $*" >&2; }

SG_PID= MON_PID=
cleanup() {
    set +e
    [ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null
    if [ -n "$SG_PID" ]; then
        kill -TERM "$SG_PID" 2>/dev/null
        for _ in $(seq 100); do [ -d "/proc/$SG_PID" ] || break; sleep 0.1; done
        kill -KILL "$SG_PID" 2>/dev/null
    fi
    bash "$REPO/tools/lab/tunnels.sh" down "$P" "$LAB" >/dev/null 2>&1
    if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "lab up"
bash "$REPO/tools/lab/tunnels.sh" down "$P" "$LAB" >/dev/null 2>&1 || true
LAB_SERVER_PING=$KEEPALIVE bash "$REPO/tools/lab/tunnels.sh" up "$P" "$LAB" >/dev/null
# shellcheck disable=SC1091
. "$LAB/lab.env"

log "gateway up ($TARBALL)"
mkdir -p "$SG" && tar xzf "$TARBALL" -C "$SG" --strip-components=1
ssh-keygen -q -t ecdsa -b 256 -N "" -f "$WORK/key" -C bench
echo "bench=$(awk '{print $2}' "$WORK/key.pub"),_g_:admingroup" >>"$SG/etc/keys.properties"
SSH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/^sshPort *=.*/sshPort = $SSH_PORT/" "$SG/etc/org.apache.karaf.shell.cfg"
grep -q '^sshPort' "$SG/etc/org.apache.karaf.shell.cfg" || echo "sshPort = $SSH_PORT" >>"$SG/etc/org.apache.karaf.shell.cfg"
tunnel_cfg() { # name priority vpn-address
    cat >"$SG/etc/io.sitegate.tunnel-$1.cfg" <<CFG
type = openvpn
priority = $2
endpoints = eu:$3
prefixes = $CLOUD_PREFIX
probe.address = $CLOUD_HOST
probe.interval = $PROBE
probe.failures = 2
probe.successes = 2
failback.holdDown = 5
keepalive = $KEEPALIVE
keepalive.timeout = $(( KEEPALIVE * 3 ))
namespace = $GW_NS
openvpn.ca = $CA
openvpn.cert = $CLIENT_CERT
openvpn.key = $CLIENT_KEY
CFG
}
tunnel_cfg primary 100 "$VPN1_ADDR"
tunnel_cfg backup 50 "$VPN2_ADDR"
( unset JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS SITEGATE_JAVA_OPTS _JAVA_OPTIONS JDK_JAVA_OPTIONS JAVA_TOOL_OPTIONS
  export JAVA_HOME="$JH"; exec "$SG/bin/sitegate-launch" server ) </dev/null >"$WORK/sitegate.out" 2>&1 &
SG_PID=$!

route_dev() { ip -n "$GW_NS" route show "$CLOUD_PREFIX" 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1) }'; }
wait_route() { # device timeout-s
    local deadline=$(( SECONDS + $2 ))
    while [ "$(route_dev)" != "$1" ]; do
        (( SECONDS < deadline )) || { log "route to $CLOUD_PREFIX is '$(route_dev)', not $1, after $2 s"; tail -30 "$WORK/sitegate.out" >&2; exit 1; }
        sleep 0.1
    done
}
sg() { ssh -p "$SSH_PORT" -i "$WORK/key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o LogLevel=ERROR bench@127.0.0.1 "$@"; }
wait_route sg-primary 180
log "primary active; waiting until the backup is healthy too"
for _ in $(seq 120); do sg sitegate:tunnel-list 2>/dev/null | grep -q 'backup .* UP' && break; sleep 1; done

# ---- 1. idle overhead
ip netns exec "$GW_NS" nft -f - <<NFT
table inet sgbench {
  chain in { type filter hook input priority -10; ip saddr $VPN1_ADDR counter; ip saddr $VPN2_ADDR counter; }
  chain out { type filter hook output priority -10; ip daddr $VPN1_ADDR counter; ip daddr $VPN2_ADDR counter; }
}
NFT
overhead_list_0=$(sg sitegate:tunnel-list)
log "idle for $IDLE s"
sleep "$IDLE"
overhead_list_1=$(sg sitegate:tunnel-list)
counters=$(ip netns exec "$GW_NS" nft list table inet sgbench)
ip netns exec "$GW_NS" nft delete table inet sgbench
bytes_of() { # address [saddr|daddr]
    awk -v a="$1" -v d="${2:-}" '$0 ~ a && /counter/ && (d == "" || $0 ~ d) { for (i = 1; i < NF; i++) if ($i == "bytes") s += $(i + 1) } END { print s + 0 }' <<<"$counters"; }
b1=$(bytes_of "$VPN1_ADDR") b2=$(bytes_of "$VPN2_ADDR")
b1out=$(bytes_of "$VPN1_ADDR" daddr) b2out=$(bytes_of "$VPN2_ADDR" daddr)

# ---- 2. failover rounds
ip -n "$GW_NS" monitor route >"$WORK/routes.txt" 2>&1 &
MON_PID=$!
gap_of() { awk '/bytes from/ { t = substr($1, 2, length($1) - 2) + 0; if (p && t - p > g) g = t - p; p = t } END { printf "%d", g * 1000 }' "$1"; }
ROWS=""
for r in $(seq "$ROUNDS"); do
    ip netns exec "$LAN_NS" ping -n -D -i 0.1 -W 1 "$CLOUD_HOST" >"$WORK/ping-$r-over.txt" 2>&1 &
    pp=$!
    sleep 1
    t0=$(date +%s.%N)
    bash "$REPO/tools/lab/tunnels.sh" stop-vpn "$P" "$LAB" vpn1 >/dev/null
    wait_route sg-backup 30
    t1=$(date +%s.%N)
    sleep 2
    kill "$pp"; wait "$pp" 2>/dev/null || true
    ip netns exec "$LAN_NS" ping -n -D -i 0.1 -W 1 "$CLOUD_HOST" >"$WORK/ping-$r-back.txt" 2>&1 &
    pp=$!
    t2=$(date +%s.%N)
    LAB_SERVER_PING=$KEEPALIVE bash "$REPO/tools/lab/tunnels.sh" start-vpn "$P" "$LAB" vpn1 >/dev/null
    wait_route sg-primary 120
    t3=$(date +%s.%N)
    sleep 1
    kill "$pp"; wait "$pp" 2>/dev/null || true
    row=$(awk -v r="$r" -v g1="$(gap_of "$WORK/ping-$r-over.txt")" -v g2="$(gap_of "$WORK/ping-$r-back.txt")" \
        -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" -v f="$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.1f", b - a }')" \
        'BEGIN { printf "%s %s %s %s %s", r, g1, s, f, g2 }')
    ROWS+="$row"$'\n'
    log "round $row (round, failover gap ms, switch s, failback s, failback gap ms)"
done
kill "$MON_PID" 2>/dev/null || true; MON_PID=
moves=$(grep -c "$CLOUD_PREFIX" "$WORK/routes.txt" || true)

{
    echo "# tools/bench/tunnel-failover.sh $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; $(basename "$TARBALL")"
    echo "# probe.interval $PROBE s, probe.failures 2, probe.successes 2, failback.holdDown 5 s, keepalive $KEEPALIVE s / $(( KEEPALIVE * 3 )) s"
    echo "idle $IDLE s, bytes on the link (nftables in gw, both directions):"
    awk -v b1="$b1" -v b2="$b2" -v o1="$b1out" -v o2="$b2out" -v s="$IDLE" 'BEGIN {
        printf "  primary (vpn1) %d B (%d B sent by the gateway) = %.0f B/hour = %.1f MiB/30 days\n", b1, o1, b1 * 3600 / s, b1 * 3600 / s * 720 / 1048576
        printf "  backup  (vpn2) %d B (%d B sent by the gateway) = %.0f B/hour = %.1f MiB/30 days\n", b2, o2, b2 * 3600 / s, b2 * 3600 / s * 720 / 1048576 }'
    echo "the gateway's own count (sitegate:tunnel-list after the idle period):"
    sed 's/^/  /' <<<"$overhead_list_1"
    echo "round gap_ms switch_s failback_s failback_gap_ms"
    printf "%s" "$ROWS"
    printf "%s" "$ROWS" | awk '{ print $2 }' | sort -n | awk -v moves="$moves" -v n="$ROUNDS" '{ a[NR] = $1 } END {
        printf "failover gap: median %d ms, worst %d ms, best %d ms (%d rounds); route moves %d (expected %d: no flapping)\n",
        (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR], a[1], NR, moves, 2 * n }'
} | tee "$RESULT"
