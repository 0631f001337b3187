#!/usr/bin/env bash
#
# Crash soak of the policy agent: kill -9 of the gateway at random moments of a policy apply, many times.
#
#   tools/soak/policy-crash.sh [--kills N] [--until HH:MM] [--seed S] [--work DIR] [--dist TAR.GZ] [--java-home DIR]
#
# Against the built distribution (karaf-assembly/target/sitegate-karaf-*.tar.gz), started with
# bin/sitegate-launch, and a mosquitto on 127.0.0.1 (plain TCP, the agent's lab setting). Per kill:
#   1. a signed policy version v (every cellular property it sets depends on v) is published, retained,
#      on sitegate/<gw>/policy; after a random delay the Karaf JVM gets SIGKILL (half the kills within
#      0-250 ms, where the apply runs, the others within 0-1500 ms);
#   2. the journal on disk says where the kill landed (phase and version);
#   3. every other kill (seeded coin) clears the retained policy before the restart, so what is in force
#      afterwards is recovery's work alone; otherwise the retained policy is delivered again at reconnect;
#   4. restart, wait until the agent answers and its journal is terminal with nothing pending, then check:
#      the cellular configuration equals EXACTLY version v's or the one in force before v was published
#      (every property; "old"; v-1 unless v-1 was itself lost), policy-status
#      names the same version, the high-water mark is that version; with the retained policy kept, v
#      must end in force; with it cleared, v when CONFIRMED was on disk at the kill, else the old one (or v when
#      the broker still held it in the session: "new-redelivered").
# After the loop: sitegate:audit-verify. Prints one line per kill and a summary; exit 1 on any failure.
#
# Defaults: --kills 200, --seed (time), --work <repo>/target/soak-policy-crash. --until stops starting
# new kills at that time (UTC); the summary says how many ran.
# Needs: mosquitto, mosquitto-clients, openssh-client, python3, tar; Java 17; sitegate-ctl (built).
#
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
KILLS=200
UNTIL=0
SEED=$(date +%s)
WORK="$REPO/target/soak-policy-crash"
DIST=""
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
GW=sitegate
PID_CELL=io.sitegate.cellular

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "policy-crash.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --kills) KILLS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --until) UNTIL=$(date -u -d "$2" +%s) || die "--until $2"; shift 2 ;;
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
CTL="$REPO/tools/sitegate-ctl/sitegate-ctl"
RANDOM=$SEED

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rm -rf "$WORK" && mkdir -p "$WORK" || die "cannot create $WORK"
tar xzf "$DIST" -C "$WORK" || die "cannot unpack $DIST"
HOME_DIR=$(ls -d "$WORK"/sitegate-karaf-*/ | head -1); HOME_DIR=${HOME_DIR%/}
SSH_PORT=$(free_port); MQTT_PORT=$(free_port)
sed -i "s/sshPort = 8101/sshPort = $SSH_PORT/" "$HOME_DIR/etc/org.apache.karaf.shell.cfg"
ssh-keygen -q -t ecdsa -b 256 -N "" -f "$WORK/operator-key" || die "ssh-keygen"
"$HOME_DIR/bin/sitegate-add-key" operator "$WORK/operator-key.pub" admin >/dev/null || die "sitegate-add-key"
"$CTL" keygen --kid soak --out "$WORK/keys" >/dev/null || die "sitegate-ctl keygen"
mkdir -p "$HOME_DIR/etc/policy-keys" && cp "$WORK/keys/soak.pem" "$HOME_DIR/etc/policy-keys/"
cat > "$HOME_DIR/etc/io.sitegate.policy.cfg" <<EOF
broker = tcp://127.0.0.1:$MQTT_PORT
allowPlainTcp = true
confirmWindow = 8
EOF
JOURNAL="$HOME_DIR/data/sitegate/state/policy.journal.state"

printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$MQTT_PORT" > "$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
BROKER=$!
for _ in $(seq 50); do mosquitto_pub -p "$MQTT_PORT" -t soak/hello -n 2>/dev/null && break; sleep 0.1; done
mosquitto_sub -p "$MQTT_PORT" -V mqttv5 -t "sitegate/+/ack" -F '%U %p' >"$WORK/acks.log" 2>&1 &
ACKS=$!
cleanup() {
    [ -f "$HOME_DIR/data/sitegate.pid" ] && kill -9 "$(cat "$HOME_DIR/data/sitegate.pid")" 2>/dev/null
    kill "$ACKS" "$BROKER" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ssh_gw() {
    ssh -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
        -o LogLevel=ERROR -o IdentitiesOnly=yes -i "$WORK/operator-key" operator@127.0.0.1 "$1" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
}

# The cellular section of version v: every property a function of v, so the values name the version.
section() {
    local v=$1 action thresholds
    if [ $((v % 2)) -eq 0 ]; then action=notify; thresholds='["80","100"]'; else action=throttle; thresholds='["50","90"]'; fi
    echo "{\"binding.mode\":\"off\",\"quota.data.bytes\":$((v * 1000000 + 7)),\"quota.sms.mo\":$v,\"quota.sms.mt\":$((v + 1000)),\"quota.action\":\"$action\",\"quota.thresholds\":$thresholds,\"quota.cycleStartDay\":$((v % 28 + 1)),\"dns.primary\":\"10.$((v / 250 % 250)).$((v % 250)).1\"}"
}

# What config:property-list must show for version v (0: the shipped file), sorted "key = value" lines.
expected() {
    local v=$1
    if [ "$v" -eq 0 ]; then
        printf '%s\n' "binding.mode = off" "dns.primary = " "quota.action = notify" "quota.cycleStartDay = 1" "quota.data.bytes = 0" \
            "quota.sms.mo = 0" "quota.sms.mt = 0" "quota.thresholds = 80,100"
        return
    fi
    local action=throttle thresholds=50,90
    if [ $((v % 2)) -eq 0 ]; then action=notify; thresholds=80,100; fi
    printf '%s\n' "binding.mode = off" "dns.primary = 10.$((v / 250 % 250)).$((v % 250)).1" "quota.action = $action" \
        "quota.cycleStartDay = $((v % 28 + 1))" "quota.data.bytes = $((v * 1000000 + 7))" "quota.sms.mo = $v" \
        "quota.sms.mt = $((v + 1000))" "quota.thresholds = $thresholds"
}

# The tracked properties as in force now, same form.
actual() {
    ssh_gw "config:property-list --pid $PID_CELL" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' \
        | grep -E '^(binding\.mode|dns\.primary|quota\.(action|cycleStartDay|data\.bytes|sms\.mo|sms\.mt|thresholds)) =' \
        | sed 's/ = *$/ = /' | sort
}

# phase version inForce hwm(target) of the journal on disk ("none" when there is none)
journal() {
    [ -f "$JOURNAL" ] || { echo "CONFIRMED 0 0 0"; return; } # never written: the empty journal
    tail -c +33 "$JOURNAL" | python3 -c '
import json,sys
j=json.load(sys.stdin)
print(j["phase"], j["version"], j["inForceVersion"], j["highWaterMarks"].get(sys.argv[1],0))' "$GW" 2>/dev/null || echo "unreadable 0 0 0"
}

boot() {
    local t0=$SECONDS
    "$HOME_DIR/bin/sitegate-launch" start >/dev/null 2>&1 || return 1
    while [ $((SECONDS - t0)) -lt 120 ]; do
        ssh_gw "sitegate:policy-status" | grep -q '^In force:' && return 0
        sleep 0.3
    done
    return 1
}

publish_policy() {
    local v=$1 now exp
    now=$(date -u -d '-5 sec' +%Y-%m-%dT%H:%M:%SZ); exp=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
    printf '{"version":%s,"issuedAt":"%s","expiresAt":"%s","target":"%s","sections":{"cellular":%s}}' \
        "$v" "$now" "$exp" "$GW" "$(section "$v")" >"$WORK/policy.json"
    "$CTL" sign --key "$WORK/keys/soak.key" --kid soak "$WORK/policy.json" --out "$WORK/policy.jws" >/dev/null 2>&1 || return 1
}

log "seed $SEED, $KILLS kills, work $WORK, mqtt $MQTT_PORT, ssh $SSH_PORT"
boot || die "the gateway did not boot: $(tail -5 "$HOME_DIR/data/log/karaf.log")"
ssh_gw "sitegate:mqtt-status" | grep -qi connected || sleep 2

old=0; new=0; failures=0; kept=0; cleared=0
declare -A at_phase
v=0
ran=0
for ((k = 1; k <= KILLS; k++)); do
    if [ "$UNTIL" -gt 0 ] && [ "$(date +%s)" -ge "$UNTIL" ]; then log "stopping at --until: $((k - 1)) kills ran"; break; fi
    v=$((v + 1))
    read -r _ _ before_in_force _ < <(journal)
    publish_policy "$v" || { log "kill $k: signing version $v failed"; failures=$((failures + 1)); continue; }
    if [ $((RANDOM % 2)) -eq 0 ]; then delay=$((RANDOM % 251)); else delay=$((RANDOM % 1501)); fi
    mosquitto_pub -p "$MQTT_PORT" -V mqttv5 -q 1 -r -t "sitegate/$GW/policy" -f "$WORK/policy.jws"
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    pid=$(cat "$HOME_DIR/data/sitegate.pid")
    kill -9 "$pid"
    while [ -e "/proc/$pid" ]; do sleep 0.05; done
    ran=$k
    read -r kphase kversion kin _ < <(journal)
    landed="$kphase"; [ "$kversion" != "$v" ] && landed="before-receive"
    at_phase[$landed]=$((${at_phase[$landed]:-0} + 1))
    keep=$((RANDOM % 2))
    if [ "$keep" -eq 0 ]; then
        mosquitto_pub -p "$MQTT_PORT" -V mqttv5 -q 1 -r -n -t "sitegate/$GW/policy"; cleared=$((cleared + 1))
    else
        kept=$((kept + 1))
    fi
    t0=$SECONDS
    if ! boot; then
        log "kill $k: v$v FAIL: the gateway did not come back"; failures=$((failures + 1)); break
    fi
    boot_s=$((SECONDS - t0))
    # settle: nothing pending, journal terminal; with the retained policy kept, v in force (applied or refused as a replay)
    problem="" ; deadline=$((SECONDS + 60))
    while :; do
        status=$(ssh_gw "sitegate:policy-status")
        read -r phase jv in_force hwm < <(journal)
        shown=$(echo "$status" | sed -n 's/^In force: *version \([0-9]*\).*/\1/p')
        if echo "$status" | grep -q '^Pending: *none' && [[ "$phase" =~ ^(CONFIRMED|ROLLED_BACK|DISCARDED|FALLBACK)$ ]] \
            && { [ "$keep" -eq 0 ] || [ "$in_force" = "$v" ]; }; then
            break
        fi
        [ $SECONDS -ge $deadline ] && { problem="not settled after 60 s (phase $phase, in force $in_force, shown $shown)"; break; }
        sleep 0.3
    done
    now=$(actual)
    if [ -z "$problem" ]; then
        if [ "$now" = "$(expected "$v")" ]; then outcome=new; elif [ "$now" = "$(expected "$before_in_force")" ]; then outcome=old
        else outcome=mix; problem="configuration is neither v$v nor v$before_in_force (in force before): $(echo "$now" | tr '\n' ';')"; fi
    else
        outcome=unsettled
    fi
    if [ -z "$problem" ]; then
        want=$v; [ "$outcome" = old ] && want=$before_in_force
        [ "$shown" = "$want" ] || problem="policy-status says version $shown, configuration is v$want"
        [ -z "$problem" ] && [ "$in_force" != "$want" ] && problem="journal in force $in_force, configuration v$want"
        [ -z "$problem" ] && [ "$hwm" != "$want" ] && problem="high-water mark $hwm, v$want in force"
        if [ -z "$problem" ] && [ "$keep" -eq 0 ] && [ "$landed" != CONFIRMED ] && [ "$outcome" = new ]; then
            # allowed only when the broker redelivered v from the session (in flight at the kill): say so
            outcome=new-redelivered
        fi
        [ -z "$problem" ] && [ "$keep" -eq 0 ] && [ "$landed" = CONFIRMED ] && [ "$outcome" != new ] \
            && problem="v$v was CONFIRMED on disk at the kill but v$before_in_force is in force"
    fi
    case "$outcome" in new*) new=$((new + 1)) ;; old) old=$((old + 1)) ;; esac
    retained=kept; [ "$keep" -eq 0 ] && retained=cleared
    if [ -n "$problem" ]; then
        failures=$((failures + 1))
        log "kill $k: v$v after ${delay} ms, landed $landed, retained $retained, boot ${boot_s}s: FAIL: $problem"
    else
        log "kill $k: v$v after ${delay} ms, landed $landed, retained $retained, boot ${boot_s}s: $outcome (v$want in force, hwm $hwm)"
    fi
done

audit=$(ssh_gw "sitegate:audit-verify")
audit_ok=yes; echo "$audit" | grep -qiE 'fail|broken|mismatch|error' && audit_ok=no
echo
echo "== policy crash soak: seed $SEED"
echo "kills: $ran of $KILLS; outcome old: $old, new: $new; failures: $failures; retained kept: $kept, cleared: $cleared"
printf 'kill landed at: '; for p in "${!at_phase[@]}"; do printf '%s=%s ' "$p" "${at_phase[$p]}"; done; echo
echo "audit-verify: $audit_ok: $(echo "$audit" | head -3 | tr '\n' ' ')"
[ "$failures" -eq 0 ] && [ "$audit_ok" = yes ]
