#!/usr/bin/env bash
#
# Policy fleet benchmark: one canary rollout to N simulated gateways through one local mosquitto, and, in
# the same run, the peer baseline: mosquitto alone delivering the same retained group message to N plain
# subscribers that answer at once (no verify, no apply).
#
#   tools/bench/policy-fleet.sh [--gateways N] [--canary C] [--soak S] [--keep] [--java-home DIR]
#
# 1. mosquitto 2.x on a free port of 127.0.0.1 (max_connections -1, no persistence); ulimit -n raised first.
# 2. An Ed25519 key (sitegate-ctl keygen) and a policy for group:GROUP (sitegate-ctl sign).
# 3. Baseline: `sitegate-ctl simulate --echo` (N Paho v5 clients in one JVM that ack received + applied
#    without verifying), then `rollout --canary C --soak S`: its group phase is "one retained group message
#    to N subscribers, N replies collected". The simulator is stopped.
# 4. Sitegate: `sitegate-ctl simulate` (the real verify path: PolicyVerifier, high-water mark, acks, status),
#    then the same rollout. Reported: the canary phase, the group phase (time for all N final acks after the
#    group publish), the ratio to the baseline's group phase, and the simulator JVM's threads and RSS once
#    ready (from /proc/<pid>/status).
# Target (DESIGN, benchmarks): 1000 gateways acking one rollout within 10 s.
# Results are printed and written to <repo>/target/bench-policy-fleet/result.txt.
# Needs: mosquitto, java 17, the built tools/sitegate-ctl/target/sitegate-ctl.jar (built when missing).
#
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
N=1000
CANARY=10
SOAK=2
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --gateways) N=$2; shift 2 ;;
        --canary) CANARY=$2; shift 2 ;;
        --soak) SOAK=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --java-home) JH=$2; shift 2 ;;
        *) echo "usage: $0 [--gateways N] [--canary C] [--soak S] [--keep] [--java-home DIR]" >&2; exit 2 ;;
    esac
done

# 3 Paho threads and a socket per client, plus mosquitto's side of every connection
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
ulimit -u unlimited 2>/dev/null || true

JAR="$REPO/tools/sitegate-ctl/target/sitegate-ctl.jar"
if [ ! -f "$JAR" ]; then
    (cd "$REPO" && mvn -B -q -o install -DskipTests -pl tools/sitegate-ctl -am) || exit 1
fi
CTL=("$JH/bin/java" -jar "$JAR")

TMP=$(mktemp -d -t policy-fleet.XXXXXX)
OUT="$REPO/target/bench-policy-fleet"
mkdir -p "$OUT"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    if [ "$KEEP" = 1 ]; then echo "kept: $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$TMP/mosquitto.conf" <<CONF
user root
persistence false
max_queued_messages 10000
listener $PORT 127.0.0.1
allow_anonymous true
max_connections -1
CONF
mosquitto -c "$TMP/mosquitto.conf" > "$TMP/mosquitto.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
BROKER=(--broker "tcp://127.0.0.1:$PORT" --plain)

"${CTL[@]}" keygen --kid bench --out "$TMP/keys" > /dev/null || exit 1
policy() { # group version -> signed file
    local now exp
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ); exp=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
    printf '{"version":%s,"issuedAt":"%s","expiresAt":"%s","target":"group:%s","sections":{"dns":{"upstreams":["10.8.0.1:53"]}}}' \
        "$2" "$now" "$exp" "$1" > "$TMP/$1.json"
    "${CTL[@]}" sign --key "$TMP/keys/bench.key" --kid bench "$TMP/$1.json" --out "$TMP/$1.jws" > /dev/null || exit 1
}

# run MODE GROUP PREFIX: simulator up, rollout, simulator down; sets CANARY_S GROUP_S SUMMARY THREADS RSS
run() {
    local mode=$1 group=$2 prefix=$3 sim
    policy "$group" 1
    "${CTL[@]}" simulate --gateways "$N" --group "$group" --prefix "$prefix" --trust "$TMP/keys" "${BROKER[@]}" \
        $mode > "$TMP/sim-$group.log" 2>&1 &
    sim=$!
    PIDS+=($sim)
    local t0=$SECONDS
    until grep -q '^ready' "$TMP/sim-$group.log"; do
        if ! kill -0 $sim 2>/dev/null || [ $((SECONDS - t0)) -gt 180 ]; then
            echo "simulator did not get ready:"; tail -20 "$TMP/sim-$group.log"; exit 1
        fi
        sleep 0.2
    done
    THREADS=$(awk '/^Threads/ {print $2}' /proc/$sim/status)
    RSS=$(awk '/^VmRSS/ {printf "%d MiB", $2/1024}' /proc/$sim/status)
    READY_S=$((SECONDS - t0))
    "${CTL[@]}" rollout --group "$group" --canary "$CANARY" --soak "$SOAK" --timeout 60 --settle 3 "${BROKER[@]}" \
        "$TMP/$group.jws" > "$TMP/rollout-$group.log" 2>&1
    RC=$?
    CANARY_S=$(sed -n 's/.*canary phase \([0-9.]*\) s.*/\1/p' "$TMP/rollout-$group.log")
    SUMMARY=$(grep '^applied ' "$TMP/rollout-$group.log")
    GROUP_S=$(echo "$SUMMARY" | sed -n 's/.* in \([0-9.]*\) s$/\1/p')
    kill $sim 2>/dev/null; wait $sim 2>/dev/null
    if [ $RC -ne 0 ]; then echo "rollout ($group) exit $RC:"; cat "$TMP/rollout-$group.log"; fi
}

echo "policy fleet benchmark: $N gateways, $CANARY canaries, soak $SOAK s, mosquitto $(mosquitto -h | head -1 | awk '{print $3}') on 127.0.0.1:$PORT"
run --echo bench-echo echo-
B_GROUP=$GROUP_S B_SUMMARY=$SUMMARY B_THREADS=$THREADS B_RSS=$RSS B_READY=$READY_S
run "" bench sim-
RATIO=$(awk -v a="$GROUP_S" -v b="$B_GROUP" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
{
    echo "| run | canary phase | all $N acks after the group publish | simulator threads / RSS when ready | connect+subscribe |"
    echo "|---|---|---|---|---|"
    echo "| sitegate (verify, apply, status) | ${CANARY_S:-?} s | ${GROUP_S:-?} s | $THREADS / $RSS | ${READY_S} s |"
    echo "| mosquitto + echoing Paho clients (baseline) | - | ${B_GROUP:-?} s | $B_THREADS / $B_RSS | ${B_READY} s |"
    echo
    echo "sitegate: $SUMMARY"
    echo "baseline: $B_SUMMARY"
    echo "ratio sitegate/baseline (group phase): $RATIO; target: $N acks < 10 s"
} | tee "$OUT/result.txt"
