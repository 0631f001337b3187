#!/usr/bin/env bash
#
# Boot benchmark: Sitegate distribution vs. stock Apache Karaf 4.4.10, side by side, in one run.
#
#   tools/bench/boot.sh [--runs N] [--configured] [--dists LIST] [--tweak TAG=CMD] [--diag] [--work DIR]
#                       [--timeout S] [--wait-idle S] [--java-home DIR]
#
# For each mode ("first-boot": fresh unpack, empty data/; "restart": data/ kept from the previous
# run) boots each distribution N times, alternating Sitegate/stock, and measures
#   boot_s  launch (Sitegate: bin/sitegate-launch start, stock: bin/start) -> a shell command answers over SSH
#           (Sitegate: `sitegate:status --check` prints READY; stock: `shell:echo READY`)
#   ready_s launch -> Sitegate logs that every Sitegate bundle and component is active
#   rss_MB  VmRSS of the Karaf java process 3 s after it became ready (all_s, below)
# then stops it with bin/stop (kill -9 after 20 s). Prints per-run figures, medians and the
# Sitegate/stock ratios, and writes the same to <work>/result.txt.
#
# --configured: the Sitegate copy ("site") is configured as ./sitegate run configures the demo (tools/demo/demo.sh:
# modem wan0 on the modem simulator's socat pty, the demo cellular policy, the DNS forwarder with a dnsmasq
# upstream, the policy agent on a local mosquitto with the demo key), all on 127.0.0.1 and free ports; the
# simulator, dnsmasq and mosquitto run for the whole benchmark (the site around a restarting gateway). Also:
#   dns_s    launch -> `dig @127.0.0.1 -p <port> www.demo.test` answers NOERROR with the demo address (every 50 ms
#            once the forwarder's UDP socket is bound; before, /proc/net/udp is read every 50 ms: dig costs CPU)
#   online_s launch -> the agent's retained status sitegate/<gw>/status says online (a subscriber started
#            before the first boot timestamps each message)
#   all_s    the latest of boot_s, dns_s and online_s; RSS is read 3 s after it.
# Without --configured the Sitegate copy is the distribution as shipped, unconfigured (the figures of
# before 2026-12-05); all_s = boot_s there and for stock.
# --dists LIST: which copies, comma separated, alternating in this order: sitegate (unconfigured), site
# (configured), stock, and variants sitegate-<tag> / site-<tag> changed by --tweak <tag>='<shell command>' (run in
# the copy's home after it is unpacked and configured, e.g. --tweak noagent='rm etc/io.sitegate.policy.cfg');
# a site copy waits for DNS only with etc/io.sitegate.dns.cfg, for online only with etc/io.sitegate.policy.cfg.
# Default: sitegate,stock; with --configured: site,stock.
# --diag: after each RSS reading (so the figures are not touched), <work>/logs/<mode>-<copy>-<run>.diag gets jcmd's
# GC.heap_info, VM.native_memory summary (for a copy started with -XX:NativeMemoryTracking=summary, e.g. by a
# --tweak of bin/setenv), the thread count, and the RSS before and after System.trim_native_heap (what glibc
# holds freed).
#
# Defaults: --runs 5, --work <repo>/target/bench-boot, --timeout 60 (readiness, per boot),
# --wait-idle 0 (on a shared machine, wait up to S s before each boot until other work uses <25% CPU;
# the other% column shows how much other work ran during each boot), --java-home $JAVA_HOME or /usr/lib/jvm/java-17-openjdk-amd64
# (Karaf 4.4 does not boot on Java 25).
# Needs: openssh-client, awk, procps, iproute2 (ss), coreutils, tar/gzip, mvn (to build/fetch); configured:
# socat, dnsmasq, mosquitto, mosquitto-clients, dig (bind9-dnsutils) and the built modem simulator.
# Everything listens on 127.0.0.1 only; each distribution gets its own free ports.
#
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
KARAF_VERSION=4.4.10
RUNS=5
WORK="$REPO/target/bench-boot"
TIMEOUT=60
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
POLL=0.05
RSS_DELAY=3
STOP_GRACE=20
WAIT_IDLE=0
CONFIGURED=0
DIAG=0
DISTS_ARG=
declare -A TWEAK_OF

usage() { sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "boot.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=${2:-}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --work) WORK=${2:-}; shift 2 ;;
        --work=*) WORK=${1#*=}; shift ;;
        --timeout) TIMEOUT=${2:-}; shift 2 ;;
        --timeout=*) TIMEOUT=${1#*=}; shift ;;
        --wait-idle) WAIT_IDLE=${2:-}; shift 2 ;;
        --wait-idle=*) WAIT_IDLE=${1#*=}; shift ;;
        --java-home) JH=${2:-}; shift 2 ;;
        --java-home=*) JH=${1#*=}; shift ;;
        --configured) CONFIGURED=1; shift ;;
        --diag) DIAG=1; shift ;;
        --dists) DISTS_ARG=${2:-}; shift 2 ;;
        --dists=*) DISTS_ARG=${1#*=}; shift ;;
        --tweak) [[ "${2:-}" =~ ^([a-z0-9]+)=(.+)$ ]] || die "--tweak wants <tag>='<shell command>'"
                 TWEAK_OF[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ "$WAIT_IDLE" =~ ^[0-9]+$ ]] || die "--wait-idle must be a number of seconds"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer (seconds)"
if [ -z "$DISTS_ARG" ]; then
    if [ "$CONFIGURED" = 1 ]; then DISTS_ARG=site,stock; else DISTS_ARG=sitegate,stock; fi
fi
IFS=, read -r -a DISTS <<<"$DISTS_ARG"
SITE_DISTS=0
declare -A SEEN
for d in "${DISTS[@]}"; do
    [[ "$d" =~ ^(stock|sitegate|site|sitegate-[a-z0-9]+|site-[a-z0-9]+)$ ]] || die "--dists: unknown copy '$d'"
    [ -z "${SEEN[$d]:-}" ] || die "--dists: '$d' twice"; SEEN[$d]=1
    case $d in *-*) [ -n "${TWEAK_OF[${d#*-}]:-}" ] || die "--dists: no --tweak ${d#*-}='...' for $d" ;; esac
    case $d in site|site-*) SITE_DISTS=1 ;; esac
done
[ -x "$JH/bin/java" ] || die "no java at $JH/bin/java (set JAVA_HOME or --java-home to a Java 17)"
for c in ssh ssh-keygen awk ss tar gzip timeout mvn; do
    command -v "$c" >/dev/null 2>&1 || die "missing required command: $c"
done
if [ "$SITE_DISTS" = 1 ]; then
    for c in socat dnsmasq mosquitto mosquitto_sub mosquitto_pub dig; do
        command -v "$c" >/dev/null 2>&1 || die "missing command for the configured site: $c"
    done
    # shellcheck source=../demo/demo.sh
    . "$REPO/tools/demo/demo.sh"
    [ -f "$DEMO_SIM_JAR" ] || die "no modem simulator at $DEMO_SIM_JAR (mvn install -DskipTests -pl tools/modem-sim)"
fi

mkdir -p "$WORK" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd)
# Never unpack into the repository's tracked tree.
case "$WORK/" in
    "$REPO"/*)
        git -C "$REPO" check-ignore -q "${WORK#"$REPO"/}/x" 2>/dev/null \
            || die "$WORK is inside the repository and not git-ignored: use a target/ directory or one outside the repo" ;;
esac

cd "$WORK" || die "cannot enter $WORK"

# The same environment for both distributions: only what each ships in its own bin/setenv.
unset JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS KARAF_SYSTEM_OPTS KARAF_DEBUG JAVA_DEBUG_OPTS KARAF_EXEC \
      JAVA_MIN_MEM JAVA_MAX_MEM JAVA_PERM_MEM JAVA_MAX_PERM_MEM SITEGATE_JAVA_OPTS KARAF_REDIRECT \
      KARAF_HOME KARAF_BASE KARAF_DATA KARAF_ETC KARAF_LOG KARAF_NOROOT KARAF_SCRIPT _JAVA_OPTIONS JDK_JAVA_OPTIONS \
      JAVA_TOOL_OPTIONS CLASSPATH
export JAVA_HOME="$JH"

declare -A HOME_OF PORT_OF CMD_OF START_OF
is_site() { case $1 in site|site-*) return 0 ;; esac; return 1; }
for d in "${DISTS[@]}"; do
    HOME_OF[$d]="$WORK/$d"
    # each as shipped: Sitegate with its lean launcher, stock Karaf with bin/start
    case $d in
        stock) START_OF[$d]="bin/start"; CMD_OF[$d]="shell:echo READY" ;;
        *) START_OF[$d]="bin/sitegate-launch start"; CMD_OF[$d]="sitegate:status --check" ;;
    esac
done
HELPERS="$WORK/helpers"   # the configured site's modem simulator, DNS upstream, broker and the status subscriber
KEY="$WORK/bench_ecdsa"

# ---------------------------------------------------------------- processes

# pids of every process belonging to a Karaf home: the java process (-Dkaraf.home=<home>) and the
# bin/karaf wrapper script that bin/start leaves running (argv contains <home>/bin/karaf).
home_pids() {
    local home=$1 d pid
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        [ "$pid" = "$$" ] && continue
        if { tr '\0' '\n' < "$d/cmdline" | grep -qxF -e "-Dkaraf.home=$home" -e "$home/bin/karaf"; } 2>/dev/null; then
            echo "$pid"
        fi
    done
}

java_pid() {
    local home=$1 d
    for d in /proc/[0-9]*; do
        [ "$(cat "$d/comm" 2>/dev/null)" = java ] || continue
        if { tr '\0' '\n' < "$d/cmdline" | grep -qxF -e "-Dkaraf.home=$home"; } 2>/dev/null; then
            echo "${d#/proc/}"; return 0
        fi
    done
    return 1
}

kill_home() {   # TERM, then KILL, everything running from one home (only our own unpacked copies)
    local home=$1 pids i
    pids=$(home_pids "$home")
    [ -n "$pids" ] || return 0
    kill -TERM $pids 2>/dev/null
    for i in $(seq 50); do
        pids=$(home_pids "$home"); [ -n "$pids" ] || return 0
        sleep 0.1
    done
    kill -KILL $pids 2>/dev/null
    sleep 0.2
}

# The configured site's helpers: <helpers>/<name>.pid holds "<pid> <comm>"; only a live process of that pid and
# name is ours (a pid file left by an aborted run may name a pid reused since).
helper_pids() {
    local f pid comm
    for f in "$HELPERS"/*.pid; do
        [ -f "$f" ] || continue
        read -r pid comm < "$f" || continue
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && echo "$pid"
    done
}

stop_helpers() {   # TERM (the simulator then stops its socat), KILL after 5 s, the pid files removed
    local pids i
    pids=$(helper_pids)
    if [ -n "$pids" ]; then
        kill -TERM $pids 2>/dev/null
        for i in $(seq 50); do
            pids=$(helper_pids); [ -n "$pids" ] || break
            sleep 0.1
        done
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    fi
    rm -f "$HELPERS"/*.pid
}

CLEANED=0
POLLER=
cleanup() {
    [ "$CLEANED" = 1 ] && return
    CLEANED=1
    local d
    [ -n "$POLLER" ] && kill "$POLLER" 2>/dev/null
    for d in "${DISTS[@]}"; do kill_home "${HOME_OF[$d]}"; done
    [ -d "$HELPERS" ] && stop_helpers
}
trap cleanup EXIT
trap 'echo "boot.sh: interrupted, stopping Karaf processes" >&2; exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- ports

port_free() {   # nothing listening on it, TCP or UDP (any address), and not one we already hand out
    local p=$1 q
    for q in "${PORT_OF[@]}"; do [ "$q" = "$p" ] && return 1; done
    [ -z "$(ss -Htuln "sport = :$p" 2>/dev/null)" ]
}

pick_port() {
    local p i
    for i in $(seq 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        port_free "$p" && { echo "$p"; return 0; }
    done
    die "no free TCP port found"
}

set_cfg() {   # set_cfg <file> <key> <value>: replace "key = ..." (or append it)
    local f=$1 k=$2 v=$3
    if grep -qE "^[[:space:]]*$k[[:space:]]*=" "$f"; then
        sed -i -E "s|^[[:space:]]*$k[[:space:]]*=.*|$k = $v|" "$f"
    else
        echo "$k = $v" >> "$f"
    fi
}

# ---------------------------------------------------------------- distributions

tarball_ok() { gzip -t "$1" 2>/dev/null && tar tzf "$1" >/dev/null 2>&1; }

get_sitegate() {   # snapshot the built tarball into the work dir (someone may rebuild it meanwhile)
    local t i
    t=$(ls -t "$REPO"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)
    if [ -z "$t" ]; then
        log "Sitegate tarball missing: building (mvn -B -q install -DskipTests -pl karaf-assembly -am)"
        (cd "$REPO" && mvn -B -q install -DskipTests -pl karaf-assembly -am) || die "Sitegate build failed"
    fi
    for i in $(seq 12); do
        t=$(ls -t "$REPO"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)
        if [ -n "$t" ] && cp "$t" "$WORK/dl/sitegate.tar.gz.tmp" 2>/dev/null && tarball_ok "$WORK/dl/sitegate.tar.gz.tmp"; then
            mv "$WORK/dl/sitegate.tar.gz.tmp" "$WORK/dl/sitegate.tar.gz"
            SITEGATE_TARBALL=$t
            SITEGATE_VERSION=$(basename "$t" .tar.gz); SITEGATE_VERSION=${SITEGATE_VERSION#sitegate-karaf-}
            return 0
        fi
        log "Sitegate tarball missing or incomplete (being rebuilt?), retrying in 10 s"
        sleep 10
    done
    die "could not get a complete karaf-assembly/target/sitegate-karaf-*.tar.gz"
}

get_stock() {
    local f="$WORK/dl/apache-karaf-$KARAF_VERSION.tar.gz"
    if ! tarball_ok "$f"; then
        log "fetching org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"
        rm -f "$f"
        (cd "$WORK/dl" && mvn -B -q dependency:copy -Dartifact="org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz" \
            -DoutputDirectory="$WORK/dl") || die "could not fetch stock Karaf $KARAF_VERSION"
        tarball_ok "$f" || die "stock Karaf tarball $f is broken"
    fi
    STOCK_TARBALL=$f
}

# Fresh install: unpack, own SSH port on 127.0.0.1, the bench key for an admin user.
install_dist() {
    local d=$1 home=${HOME_OF[$1]} cfg
    rm -rf "$home" && mkdir -p "$home" || die "cannot create $home"
    case $d in
        stock) tar xzf "$STOCK_TARBALL" -C "$home" --strip-components=1 ;;
        *)     tar xzf "$WORK/dl/sitegate.tar.gz" -C "$home" --strip-components=1 ;;
    esac || die "cannot unpack $d"
    cfg="$home/etc/org.apache.karaf.shell.cfg"
    set_cfg "$cfg" sshPort "${PORT_OF[$d]}"
    set_cfg "$cfg" sshHost 127.0.0.1
    case $d in
        sitegate|sitegate-*|site|site-*)
            "$home/bin/sitegate-add-key" bench "$KEY.pub" admin >/dev/null || die "bin/sitegate-add-key failed"
            if is_site "$d"; then   # the demo's settings (./sitegate run), on the benchmark's ports
                demo_modem_cfg "$home" "$HELPERS/modem0"
                demo_cellular_cfg "$home"
                demo_dns_cfg "$home" 127.0.0.1 "${PORT_OF[$d.dns]}" 127.0.0.1 "${PORT_OF[upstream]}"
                demo_policy_key "$HELPERS/demo-keys" "$home"
                demo_policy_cfg "$home" "${PORT_OF[broker]}"
            fi
            if [[ "$d" == *-* ]]; then
                (cd "$home" && eval "${TWEAK_OF[${d#*-}]}") || die "$d: --tweak ${d#*-} failed"
            fi
            ;;
        stock)
            # stock listens on 0.0.0.0 and has JMX/RMI on fixed ports: own ports, loopback only
            local m="$home/etc/org.apache.karaf.management.cfg"
            set_cfg "$m" rmiRegistryPort "${PORT_OF[stock_rmi_registry]}"
            set_cfg "$m" rmiServerPort "${PORT_OF[stock_rmi_server]}"
            set_cfg "$m" rmiRegistryHost 127.0.0.1; set_cfg "$m" rmiServerHost 127.0.0.1
            grep -q '^_g_\\:admingroup' "$home/etc/keys.properties" \
                || echo '_g_\:admingroup = group,admin,manager,viewer,systembundles,ssh' >> "$home/etc/keys.properties"
            echo "bench=$(awk '{print $2; exit}' "$KEY.pub"),_g_:admingroup" >> "$home/etc/keys.properties"
            ;;
    esac
}

ssh_cmd() {   # ssh_cmd <port> <command>: stdout+stderr, CRs stripped
    timeout 5 ssh -F /dev/null -p "$1" -i "$KEY" -o BatchMode=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o ConnectTimeout=1 -o IdentitiesOnly=yes -o LogLevel=ERROR \
        bench@127.0.0.1 "$2" </dev/null 2>&1 | tr -d '\r'
}

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$((10#$t))"; }   # microseconds, no fork
cpu_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat; }   # "busy idle", all CPUs
cpu_busy() {   # % of all CPUs busy during 1 s (nothing of ours runs then)
    local a b
    a=$(cpu_ticks); sleep 1; b=$(cpu_ticks)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
        busy = y[1] - x[1]; idle = y[2] - x[2]; printf "%.0f", (busy + idle) ? 100 * busy / (busy + idle) : 0 }'
}
secs() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000000 }'; }

fail_boot() {
    local d=$1 home=${HOME_OF[$1]} why=$2
    {
        echo "boot.sh: $d ($home) $why"
        echo "----- last 40 lines of $home/data/log/karaf.log -----"
        tail -n 40 "$home/data/log/karaf.log" 2>/dev/null || echo "(no data/log/karaf.log)"
        echo "----- last SSH answer -----"
        echo "${LAST_ANSWER:-(none)}"
    } >&2
    exit 1
}

# ---------------------------------------------------------------- the configured site's helpers

start_helper() {   # start_helper <name> <comm> <command...>: in the background, output to logs/<name>.log
    local name=$1 comm=$2
    shift 2
    "$@" > "$WORK/logs/$name.log" 2>&1 &
    echo "$! $comm" > "$HELPERS/$name.pid"
}

helper_alive() { local pid comm; read -r pid comm < "$HELPERS/$1.pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; }

wait_until() {   # wait_until <seconds> <what> <command...>: poll every 50 ms
    local s=$1 what=$2 i
    shift 2
    for i in $(seq $(( s * 20 ))); do "$@" && return 0; sleep "$POLL"; done
    die "$what did not come up within $s s (logs in $WORK/logs/)"
}

dig_demo() {   # dig_demo <port>: the demo name answered NOERROR with the demo address
    local a
    a=$(dig @127.0.0.1 -p "$1" "$DEMO_DNS_NAME" A +time=1 +tries=1 +noall +comments +answer 2>/dev/null)
    [[ $a == *"status: NOERROR"* && $a == *"$DEMO_DNS_ADDR"* ]]
}

STATUS_LOG="$WORK/logs/status.log"
status_sub_exec() {
    exec mosquitto_sub -h 127.0.0.1 -p "${PORT_OF[broker]}" -q 1 -t 'sitegate/+/status' -t bench/boot-sh/ready \
        -F '%U %t %p' > "$STATUS_LOG"
}
marker_seen() { grep -q " bench/boot-sh/ready $1\$" "$STATUS_LOG" 2>/dev/null; }
listening() { [ -n "$(ss -Htln "src 127.0.0.1:$1" 2>/dev/null)" ]; }

# The site around the gateway, up for the whole benchmark: the modem simulator on a socat pty, the DNS upstream,
# the broker, and a subscriber that timestamps every status message (%U: receipt, wall clock, ns).
start_helpers() {
    mkdir -p "$HELPERS"
    stop_helpers   # leftovers of an aborted run
    rm -f "$HELPERS/modem0" "$HELPERS/modem0.sim" "$STATUS_LOG"
    demo_hosts "$HELPERS/demo-hosts"
    demo_mosquitto_conf "$HELPERS/mosquitto.conf" "${PORT_OF[broker]}"
    start_helper mosquitto mosquitto mosquitto -c "$HELPERS/mosquitto.conf"
    start_helper dnsmasq dnsmasq demo_dnsmasq_exec "$HELPERS/demo-hosts" 127.0.0.1 "${PORT_OF[upstream]}" \
        "$HELPERS/dnsmasq.pidfile" "$WORK/logs/dnsmasq-queries.log"
    start_helper modem-sim java demo_sim_exec "$HELPERS/modem0" "$WORK/logs/modem-sim.journal"
    wait_until 10 "mosquitto on 127.0.0.1:${PORT_OF[broker]}" listening "${PORT_OF[broker]}"
    start_helper status-sub mosquitto_sub status_sub_exec
    local marker=$$-$RANDOM
    wait_until 10 "the status subscriber" eval "mosquitto_pub -h 127.0.0.1 -p ${PORT_OF[broker]} -t bench/boot-sh/ready -m $marker; sleep 0.2; marker_seen $marker"
    wait_until 10 "dnsmasq on 127.0.0.1:${PORT_OF[upstream]}" dig_demo "${PORT_OF[upstream]}"
    wait_until 20 "the modem simulator's pty $HELPERS/modem0" test -e "$HELPERS/modem0"
    # socat, the simulator's child: stopped by the simulator, killed here if the simulator is killed
    local simpid socat
    read -r simpid _ < "$HELPERS/modem-sim.pid"
    socat=$(ps -o pid= --ppid "$simpid" 2>/dev/null | head -1 | tr -d ' ')
    [ -n "$socat" ] && echo "$socat socat" > "$HELPERS/socat.pid"
    log "site helpers: modem simulator on $HELPERS/modem0, dnsmasq 127.0.0.1:${PORT_OF[upstream]}, mosquitto 127.0.0.1:${PORT_OF[broker]}"
}

helpers_ok() {
    local h
    for h in mosquitto dnsmasq modem-sim status-sub; do helper_alive "$h" || die "site helper $h is gone (logs in $WORK/logs/)"; done
}

helper_ticks() {   # CPU ticks the helpers used so far
    local p t=0 x
    for p in $(helper_pids); do
        x=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) && t=$(( t + ${x:-0} ))
    done
    echo "$t"
}

online_at() {   # online_at <t0_us> <gateway id>: when (us) the first "online" status of the gateway after t0 arrived
    awk -v t0="$1" -v topic="sitegate/$2/status" '$2 == topic && $0 ~ /"state" *: *"online"/ {
        split($1, a, "."); us = a[1] substr(a[2] "000000", 1, 6); if (us + 0 >= t0 + 0) { print us; exit } }' "$STATUS_LOG"
}

udp_bound() {   # udp_bound <port>: a UDP socket is bound to 127.0.0.1:<port> (/proc/net/udp, no fork)
    local hex l
    printf -v hex '0100007F:%04X' "$1"
    while read -r l; do [[ $l == *" $hex "* ]] && return 0; done < /proc/net/udp
    return 1
}

# dns_poll <port> <deadline_us> <file>: writes the time of the first good answer to <file>. dig costs ~40 ms of CPU
# per call, so a dig every 50 ms from launch would take ~20 % of this 2-core machine from the boot it measures:
# until the forwarder's socket is bound, the poll only looks at /proc/net/udp (every 50 ms), then digs every 50 ms.
dns_poll() {
    local t
    while :; do
        udp_bound "$1" && dig_demo "$1" && { now_us > "$3"; return 0; }
        t=$(now_us)
        (( t > $2 )) && return 1
        sleep "$POLL"
    done
}

cfg_value() { sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" 2>/dev/null | tail -1 | tr -d '\r'; }

# boot_once <dist> <mode> <run>: appends "mode dist run boot_s rss_MB other% ready_s dns_s online_s all_s" to $ROWS
boot_once() {
    local d=$1 mode=$2 run=$3 home=${HOME_OF[$1]} port=${PORT_OF[$1]} t0 t1 deadline out pid rss_kb i next_alive
    [ -z "$(home_pids "$home")" ] || die "$d: a process from $home is still running"
    if ! [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
        die "$d: SSH port $port is already in use by something else"
    fi
    # what this copy is configured to do: answer DNS on its port, be online at the broker
    local want_dns=0 want_online=0 gw= dnsfile="$WORK/dns-answered.$d"
    if is_site "$d"; then
        helpers_ok
        [ "$(cfg_value "$home/etc/io.sitegate.dns.cfg" listen)" = "127.0.0.1:${PORT_OF[$d.dns]}" ] && want_dns=1
        [ -f "$home/etc/io.sitegate.policy.cfg" ] && want_online=1
        gw=$(cfg_value "$home/etc/io.sitegate.gateway.cfg" id); gw=${gw:-sitegate}
    fi
    local load; load=$(cpu_busy)
    if (( WAIT_IDLE > 0 && load > 25 )); then
        local until=$(( SECONDS + WAIT_IDLE ))
        log "CPUs ${load}% busy with other work: waiting up to ${WAIT_IDLE} s for them to calm down"
        while (( load > 25 && SECONDS < until )); do load=$(cpu_busy); done
    fi
    LAST_ANSWER=
    rm -f "$dnsfile"
    local s0 s1 jt other h0=0 h1=0 poller=
    (( SITE_DISTS )) && h0=$(helper_ticks)
    s0=$(cpu_ticks)
    t0=$(now_us)
    (cd "$home" && ${START_OF[$d]}) || fail_boot "$d" "${START_OF[$d]} failed"
    deadline=$(( t0 + TIMEOUT * 1000000 ))
    next_alive=$(( t0 + 5000000 ))
    if (( want_dns )); then
        dns_poll "${PORT_OF[$d.dns]}" "$deadline" "$dnsfile" &
        poller=$!; POLLER=$poller
    fi
    while :; do
        out=$(ssh_cmd "$port" "${CMD_OF[$d]}")
        t1=$(now_us)
        if grep -qx READY <<<"$out"; then break; fi
        [ -n "$out" ] && LAST_ANSWER=$out
        (( t1 > deadline )) && fail_boot "$d" "did not become ready within ${TIMEOUT} s"
        # still alive? (scanning /proc is slow: every 2 s, after the first 5 s)
        if (( t1 > next_alive )); then
            [ -n "$(home_pids "$home")" ] || fail_boot "$d" "Karaf process exited during boot"
            next_alive=$(( $(now_us) + 2000000 ))
        fi
        sleep "$POLL"
    done
    # DNS answering and online at the broker (configured copies)
    local tdns= ton= tall=$t1
    while (( want_dns && ${#tdns} == 0 || want_online && ${#ton} == 0 )); do
        [ -z "$tdns" ] && [ -s "$dnsfile" ] && tdns=$(cat "$dnsfile")
        [ -z "$ton" ] && (( want_online )) && ton=$(online_at "$t0" "$gw")
        if (( $(now_us) > deadline )); then
            LAST_ANSWER="dns answered: ${tdns:-no}; online: ${ton:-no} (last status: $(grep " sitegate/$gw/status " "$STATUS_LOG" | tail -1 | cut -c1-300))"
            fail_boot "$d" "not answering DNS or not online within ${TIMEOUT} s"
        fi
        (( want_dns && ${#tdns} == 0 || want_online && ${#ton} == 0 )) && sleep "$POLL"
    done
    [ -n "$poller" ] && wait "$poller" 2>/dev/null; POLLER=
    for i in $tdns $ton; do (( i > tall )) && tall=$i; done
    s1=$(cpu_ticks)
    (( SITE_DISTS )) && h1=$(helper_ticks)
    local boot dns=- online=- all
    boot=$(secs $(( t1 - t0 ))); all=$(secs $(( tall - t0 )))
    [ -n "$tdns" ] && dns=$(secs $(( tdns - t0 )))
    [ -n "$ton" ] && online=$(secs $(( ton - t0 )))
    pid=$(java_pid "$home") || fail_boot "$d" "no java process after ready"
    # CPU the rest of the machine used while this one booted (the Karaf java process and the site's helpers excluded)
    jt=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null)
    other=$(awk -v a="$s0" -v b="$s1" -v j="$(( ${jt:-0} + h1 - h0 ))" 'BEGIN { split(a, x, " "); split(b, y, " ")
        busy = y[1] - x[1] - j; tot = (y[1] - x[1]) + (y[2] - x[2]); if (busy < 0) busy = 0
        printf "%.0f", tot ? 100 * busy / tot : 0 }')
    (( other > 25 )) && log "warning: other work used ${other}% of the CPUs during $mode $d run $run: figures skewed"
    sleep "$(awk -v d="$RSS_DELAY" -v u=$(( $(now_us) - tall )) 'BEGIN { r = d - u / 1000000; printf "%.3f", (r > 0 ? r : 0) }')"
    [ -d "/proc/$pid" ] || fail_boot "$d" "java process $pid exited after ready"
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$rss_kb" ] || fail_boot "$d" "could not read VmRSS of pid $pid"
    local rss; rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
    # where the memory is (anonymous vs. file-backed: the class archive and jars), for the record
    cp "/proc/$pid/smaps_rollup" "$WORK/logs/$mode-$d-$run.smaps_rollup" 2>/dev/null
    if (( DIAG )); then
        {
            echo "# VmRSS $rss_kb kB at the reading; threads $(ls "/proc/$pid/task" | wc -l)"
            "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info
            "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary
            echo "# resident kB by mapping (file, or [anon] / [heap] / [stack])"
            awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]" } /^Rss:/ { rss[name] += $2 }
                END { for (n in rss) if (rss[n] >= 512) printf "%8d %s\n", rss[n], n }' "/proc/$pid/smaps" | sort -rn
            echo "# VmRSS $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status") kB before the trim"
            "$JAVA_HOME/bin/jcmd" "$pid" System.trim_native_heap
            echo "# VmRSS $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status") kB after the trim"
        } > "$WORK/logs/$mode-$d-$run.diag" 2>&1
    fi
    # keep the log of each run (first-boot unpacks over it)
    cp "$home/data/log/karaf.log" "$WORK/logs/$mode-$d-$run.karaf.log" 2>/dev/null
    # stop and wait for the java process to go
    (cd "$home" && bin/stop) >/dev/null 2>&1
    for i in $(seq $(( STOP_GRACE * 10 ))); do
        [ -d "/proc/$pid" ] || break
        sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
        log "$d did not stop within ${STOP_GRACE} s: kill -9"
        kill -KILL "$pid" 2>/dev/null
    fi
    kill_home "$home"   # the bin/karaf wrapper, if it lingers
    # Sitegate logs the moment all its components are active: the issue's boot time, without SSH
    local ready=- line
    line=$(grep "Sitegate ready .* ms after the JVM started" "$WORK/logs/$mode-$d-$run.karaf.log" 2>/dev/null | tail -1 | cut -c1-23)
    if [ -n "$line" ]; then
        ready=$(secs $(( $(date -d "$(sed 's/T/ /; s/,/./' <<<"$line")" +%s%6N) - t0 )))
    fi
    row "$mode" "$d" "$run" "$boot" "$ready" "$dns" "$online" "$all" "$rss" "$other" >&2
    ROWS+="$mode $d $run $boot $rss $other $ready $dns $online $all"$'\n'
}

ROW_FMT='%-11s %-14s %-4s %-7s %-7s %-7s %-8s %-7s %-7s %s\n'
row() { printf "$ROW_FMT" "$@"; }

median() { tr ' ' '\n' | awk 'NF { v[n++] = $1 } END {
    if (!n) { print "NA"; exit }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    print m }'; }

col() { awk -v m="$1" -v d="$2" -v c="$3" '$1 == m && $2 == d { printf "%s ", $c }' <<<"$ROWS"; }

# ---------------------------------------------------------------- main

mkdir -p "$WORK/dl" "$WORK/logs"
rm -f "$WORK"/logs/*.karaf.log "$WORK"/logs/*.smaps_rollup "$WORK"/logs/*.diag
for d in "${DISTS[@]}"; do kill_home "${HOME_OF[$d]}"; done   # leftovers of an aborted run
get_sitegate
get_stock
if [ ! -f "$KEY" ] || [ ! -f "$KEY.pub" ]; then
    rm -f "$KEY" "$KEY.pub"
    ssh-keygen -q -t ecdsa -b 256 -N '' -C sitegate-bench -f "$KEY" || die "ssh-keygen failed"
fi
PORT_KEYS=("${DISTS[@]}")
for d in "${DISTS[@]}"; do is_site "$d" && PORT_KEYS+=("$d.dns"); done
[ -n "${SEEN[stock]:-}" ] && PORT_KEYS+=(stock_rmi_registry stock_rmi_server)
(( SITE_DISTS )) && PORT_KEYS+=(upstream broker)
for k in "${PORT_KEYS[@]}"; do
    PORT_OF[$k]=$(pick_port); [ -n "${PORT_OF[$k]}" ] || exit 1
done
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
ports=
for d in "${DISTS[@]}"; do ports+="${ports:+, }$d ssh 127.0.0.1:${PORT_OF[$d]}${PORT_OF[$d.dns]:+ dns :${PORT_OF[$d.dns]}}"; done
log "Sitegate $SITEGATE_VERSION vs stock Karaf $KARAF_VERSION ($ports), $RUNS runs each, $JAVA_VERSION"
(( SITE_DISTS )) && start_helpers

ROWS=
row mode dist run boot_s ready_s dns_s online_s all_s rss_MB other% >&2
for mode in first-boot restart; do
    for run in $(seq "$RUNS"); do
        for d in "${DISTS[@]}"; do
            if [ "$mode" = first-boot ] || [ ! -d "${HOME_OF[$d]}/etc" ]; then
                install_dist "$d"
            fi
            boot_once "$d" "$mode" "$run"
        done
    done
done

medcol() {   # medcol <mode> <dist> <column> <printf format>: median of the column's figures, - if none
    local m
    m=$(col "$1" "$2" "$3" | tr ' ' '\n' | grep -v '^-$' | tr '\n' ' ' | median)
    if [ "$m" = NA ]; then echo -; else awk -v v="$m" -v f="$4" 'BEGIN { printf f, v }'; fi
}
ratio() { case "$1$2" in *-*|*NA*) echo - ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' ;; esac; }

{
    echo "# Sitegate boot benchmark, $(date '+%Y-%m-%d %H:%M:%S %z'), $(hostname), $(nproc) CPUs, copies: ${DISTS[*]}"
    echo "# sitegate: $SITEGATE_TARBALL ($SITEGATE_VERSION)"
    echo "# stock:    org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"
    echo "# java:     $JAVA_HOME ($JAVA_VERSION)"
    for d in "${DISTS[@]}"; do
        case $d in
            stock) ;;
            sitegate) echo "# $d: as shipped, unconfigured" ;;
            site) echo "# $d: configured as ./sitegate run's demo (tools/demo/demo.sh): modem on the simulator, cellular policy, DNS, policy agent" ;;
            *) echo "# $d: ${d%%-*} changed by: ${TWEAK_OF[${d#*-}]}" ;;
        esac
    done
    echo "# boot = launch (sitegate: bin/sitegate-launch start, stock: bin/start) -> SSH command answers READY"
    echo "#   (sitegate: sitegate:status --check, stock: shell:echo READY); ready = launch -> Sitegate logs that every"
    echo "#   Sitegate bundle and component is active (the gateway's own boot, without the SSH server and login)."
    echo "# dns = launch -> dig @127.0.0.1 -p <port> $([ "$SITE_DISTS" = 1 ] && echo "$DEMO_DNS_NAME" || echo '<demo name>') NOERROR with the demo address (polled every ${POLL} s);"
    echo "#   online = launch -> the retained status sitegate/<gw>/status says online; all = the latest of boot, dns, online."
    echo "# rss = VmRSS of the Karaf java process ${RSS_DELAY} s after all. first-boot: fresh unpack; restart: data/ kept."
    echo "# other% = share of the machine's CPU used by other processes during the boot (launch -> all; above ~25% the"
    echo "#   figures are skewed; the Karaf JVM and the site's helpers excluded; includes a few % for this script's SSH and"
    echo "#   DNS polling and bin/karaf's own java -version probes)."
    echo
    row mode dist run boot_s ready_s dns_s online_s all_s rss_MB other%
    printf '%s' "$ROWS" | while read -r m d r b rss o ready dns online all; do
        row "$m" "$d" "$r" "$b" "$ready" "$dns" "$online" "$all" "$rss" "$o"
    done
    echo
    echo "medians ($RUNS runs each):"
    row mode dist runs boot_s ready_s dns_s online_s all_s rss_MB other%
    declare -A BM AM RM
    for mode in first-boot restart; do
        for d in "${DISTS[@]}"; do
            BM[$mode,$d]=$(medcol "$mode" "$d" 4 %.2f)
            AM[$mode,$d]=$(medcol "$mode" "$d" 10 %.2f)
            RM[$mode,$d]=$(medcol "$mode" "$d" 5 %.0f)
            row "$mode" "$d" "$RUNS" "${BM[$mode,$d]}" "$(medcol "$mode" "$d" 7 %.2f)" "$(medcol "$mode" "$d" 8 %.2f)" \
                "$(medcol "$mode" "$d" 9 %.2f)" "${AM[$mode,$d]}" "${RM[$mode,$d]}" "$(medcol "$mode" "$d" 6 %.0f)"
        done
    done
    if [ -n "${SEEN[stock]:-}" ]; then
        for d in "${DISTS[@]}"; do
            [ "$d" = stock ] && continue
            echo "ratio $d/stock: first-boot boot $(ratio "${BM[first-boot,$d]}" "${BM[first-boot,stock]}")," \
                "all $(ratio "${AM[first-boot,$d]}" "${BM[first-boot,stock]}")," \
                "rss $(ratio "${RM[first-boot,$d]}" "${RM[first-boot,stock]}");" \
                "restart boot $(ratio "${BM[restart,$d]}" "${BM[restart,stock]}")," \
                "all $(ratio "${AM[restart,$d]}" "${BM[restart,stock]}")," \
                "rss $(ratio "${RM[restart,$d]}" "${RM[restart,stock]}")"
        done
    fi
} > "$WORK/result.txt.tmp"
mv "$WORK/result.txt.tmp" "$WORK/result.txt"
echo
cat "$WORK/result.txt"
echo
echo "(written to $WORK/result.txt; per-run karaf.log and smaps_rollup copies in $WORK/logs/)"
