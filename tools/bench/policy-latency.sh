#!/usr/bin/env bash
#
# Policy latency benchmark: publish -> applied -> ack on a loopback mosquitto, with the broker's own
# QoS 1 round trip as the peer baseline, in one run.
#
#   tools/bench/policy-latency.sh [--policies N] [--work DIR] [--dist TAR.GZ] [--java-home DIR]
#
# Unpacks the built distribution (karaf-assembly/target/sitegate-karaf-*.tar.gz), configures its policy
# agent for a mosquitto on 127.0.0.1 (plain TCP, the lab setting) and a fresh signing key, starts it with
# bin/sitegate-launch and waits until the agent is connected. Then PolicyLatency.java (Java 17 source
# launcher, jars from the distribution's system/ folder and the local Maven repository):
#   policy  N signed policies one after another, each a real change of the cellular section, QoS 1
#           retained on sitegate/<gw>/policy; publish -> the "applied" ack for that version
#   peer    N QoS 1 messages through the same broker, one client to another; publish -> arrival
# Prints p50, p99, max of both and the ratio (target: policy p50 < 100 ms) and writes them to <work>/result.txt.
#
# Defaults: --policies 200, --work <repo>/target/bench-policy-latency. Environment: M2 (the Maven
# repository holding jose4j and slf4j, default ~/.m2/repository).
# Needs: mosquitto, openssh-client, python3, tar; Java 17; sitegate-ctl (built, for keygen).
#
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
POLICIES=200
WORK="$REPO/target/bench-policy-latency"
DIST=""
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
M2=${M2:-$HOME/.m2/repository}
GW=sitegate

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "policy-latency.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --policies) POLICIES=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --dist) DIST=$2; shift 2 ;;
        --java-home) JH=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) usage ;;
    esac
done
export JAVA_HOME=$JH PATH=$JH/bin:$PATH
[ -n "$DIST" ] || DIST=$(ls "$REPO"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)
[ -f "$DIST" ] || die "no distribution: build it (mvn install -DskipTests) or pass --dist"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
jar() { local j; j=$(find "$1" -name "$2" 2>/dev/null | head -1); [ -n "$j" ] || die "no $2 under $1"; echo "$j"; }

rm -rf "$WORK" && mkdir -p "$WORK" || die "cannot create $WORK"
tar xzf "$DIST" -C "$WORK" || die "cannot unpack $DIST"
HOME_DIR=$(ls -d "$WORK"/sitegate-karaf-*/ | head -1); HOME_DIR=${HOME_DIR%/}
CP=$(jar "$HOME_DIR/system" 'io.sitegate.policy-*.jar'):$(jar "$HOME_DIR/system" 'org.eclipse.paho.mqttv5.client-*.jar')
CP=$CP:$(jar "$M2" 'jose4j-0.9.7.jar'):$(jar "$M2" 'slf4j-api-1.7.36.jar'):$(jar "$M2" 'slf4j-nop-1.7.36.jar')
SSH_PORT=$(free_port); MQTT_PORT=$(free_port)
sed -i "s/sshPort = 8101/sshPort = $SSH_PORT/" "$HOME_DIR/etc/org.apache.karaf.shell.cfg"
ssh-keygen -q -t ecdsa -b 256 -N "" -f "$WORK/operator-key" || die "ssh-keygen"
"$HOME_DIR/bin/sitegate-add-key" operator "$WORK/operator-key.pub" admin >/dev/null || die "sitegate-add-key"
"$REPO/tools/sitegate-ctl/sitegate-ctl" keygen --kid bench --out "$WORK/keys" >/dev/null || die "sitegate-ctl keygen"
mkdir -p "$HOME_DIR/etc/policy-keys" && cp "$WORK/keys/bench.pem" "$HOME_DIR/etc/policy-keys/"
printf 'broker = tcp://127.0.0.1:%s\nallowPlainTcp = true\nconfirmWindow = 30\n' "$MQTT_PORT" >"$HOME_DIR/etc/io.sitegate.policy.cfg"

printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$MQTT_PORT" >"$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
cleanup() {
    [ -f "$HOME_DIR/data/sitegate.pid" ] && "$HOME_DIR/bin/stop" >/dev/null 2>&1
    kill "$BROKER" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ssh_gw() {
    ssh -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
        -o LogLevel=ERROR -o IdentitiesOnly=yes -i "$WORK/operator-key" operator@127.0.0.1 "$1" 2>&1
}

log "starting the gateway (mqtt $MQTT_PORT, ssh $SSH_PORT)"
"$HOME_DIR/bin/sitegate-launch" start >/dev/null 2>&1 || die "sitegate-launch start failed"
t0=$SECONDS
until ssh_gw "sitegate:mqtt-status" | grep -q CONNECTED; do
    [ $((SECONDS - t0)) -lt 120 ] || die "the agent did not connect: $(tail -5 "$HOME_DIR/data/log/karaf.log")"
    sleep 0.5
done
log "agent connected; $POLICIES policies, then the peer baseline"
java -cp "$CP" "$SCRIPT_DIR/PolicyLatency.java" "tcp://127.0.0.1:$MQTT_PORT" "$GW" "$WORK/keys/bench.key" bench "$POLICIES" 1 \
    | tee "$WORK/result.txt"
rc=${PIPESTATUS[0]}
echo "in force after the run: $(ssh_gw "sitegate:policy-status" | grep 'In force')" | tee -a "$WORK/result.txt"
exit "$rc"
