#!/usr/bin/env bash
#
# Boot benchmark: Sitegate distribution vs. stock Apache Karaf 4.4.10, side by side, in one run.
#
#   tools/bench/boot.sh [--runs N] [--work DIR] [--timeout S] [--wait-idle S] [--java-home DIR]
#
# For each mode ("first-boot": fresh unpack, empty data/; "restart": data/ kept from the previous
# run) boots each distribution N times with bin/start, alternating Sitegate/stock, and measures
#   boot_s  launch of bin/start -> a shell command answers over SSH
#           (Sitegate: `sitegate:status --check` prints READY; stock: `shell:echo READY`)
#   rss_MB  VmRSS of the Karaf java process 3 s after it became ready
# then stops it with bin/stop (kill -9 after 20 s). Prints per-run figures, medians and the
# Sitegate/stock ratios, and writes the same to <work>/result.txt.
#
# Defaults: --runs 5, --work <repo>/target/bench-boot, --timeout 60 (readiness, per boot),
# --wait-idle 0 (on a shared machine, wait up to S s before each boot until other work uses <25% CPU;
# the other% column shows how much other work ran during each boot), --java-home $JAVA_HOME or /usr/lib/jvm/java-17-openjdk-amd64
# (Karaf 4.4 does not boot on Java 25).
# Needs: openssh-client, awk, procps, iproute2 (ss), coreutils, tar/gzip, mvn (to build/fetch).
# Everything listens on 127.0.0.1 only; each distribution gets its own free SSH port.
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

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
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
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ "$WAIT_IDLE" =~ ^[0-9]+$ ]] || die "--wait-idle must be a number of seconds"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer (seconds)"
[ -x "$JH/bin/java" ] || die "no java at $JH/bin/java (set JAVA_HOME or --java-home to a Java 17)"
for c in ssh ssh-keygen awk ss tar gzip timeout mvn; do
    command -v "$c" >/dev/null 2>&1 || die "missing required command: $c"
done

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

DISTS=(sitegate stock)
declare -A HOME_OF PORT_OF CMD_OF
HOME_OF[sitegate]="$WORK/sitegate"
HOME_OF[stock]="$WORK/stock"
# each as shipped: Sitegate with its lean launcher, stock Karaf with bin/start
declare -A START_OF
START_OF[sitegate]="bin/sitegate-launch start"
START_OF[stock]="bin/start"
CMD_OF[sitegate]="sitegate:status --check"
CMD_OF[stock]="shell:echo READY"
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

CLEANED=0
cleanup() {
    [ "$CLEANED" = 1 ] && return
    CLEANED=1
    local d
    for d in "${DISTS[@]}"; do kill_home "${HOME_OF[$d]}"; done
}
trap cleanup EXIT
trap 'echo "boot.sh: interrupted, stopping Karaf processes" >&2; exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- ports

port_free() {   # nothing listening on it (any address) and not one we already hand out
    local p=$1 q
    for q in "${PORT_OF[@]}"; do [ "$q" = "$p" ] && return 1; done
    [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]
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
        sitegate) tar xzf "$WORK/dl/sitegate.tar.gz" -C "$home" --strip-components=1 ;;
        stock)    tar xzf "$STOCK_TARBALL" -C "$home" --strip-components=1 ;;
    esac || die "cannot unpack $d"
    cfg="$home/etc/org.apache.karaf.shell.cfg"
    set_cfg "$cfg" sshPort "${PORT_OF[$d]}"
    set_cfg "$cfg" sshHost 127.0.0.1
    case $d in
        sitegate)
            "$home/bin/sitegate-add-key" bench "$KEY.pub" admin >/dev/null || die "bin/sitegate-add-key failed"
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

# boot_once <dist> <mode> <run>: appends "mode dist run boot_s rss_MB" to $ROWS
boot_once() {
    local d=$1 mode=$2 run=$3 home=${HOME_OF[$1]} port=${PORT_OF[$1]} t0 t1 deadline out pid rss_kb i next_alive
    [ -z "$(home_pids "$home")" ] || die "$d: a process from $home is still running"
    if ! [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
        die "$d: SSH port $port is already in use by something else"
    fi
    local load; load=$(cpu_busy)
    if (( WAIT_IDLE > 0 && load > 25 )); then
        local until=$(( SECONDS + WAIT_IDLE ))
        log "CPUs ${load}% busy with other work: waiting up to ${WAIT_IDLE} s for them to calm down"
        while (( load > 25 && SECONDS < until )); do load=$(cpu_busy); done
    fi
    LAST_ANSWER=
    local s0 s1 jt other
    s0=$(cpu_ticks)
    t0=$(now_us)
    (cd "$home" && ${START_OF[$d]}) || fail_boot "$d" "${START_OF[$d]} failed"
    deadline=$(( t0 + TIMEOUT * 1000000 ))
    next_alive=$(( t0 + 5000000 ))
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
    s1=$(cpu_ticks)
    local boot; boot=$(secs $(( t1 - t0 )))
    pid=$(java_pid "$home") || fail_boot "$d" "no java process after ready"
    # CPU the rest of the machine used while this one booted (the Karaf java process excluded)
    jt=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null)
    other=$(awk -v a="$s0" -v b="$s1" -v j="${jt:-0}" 'BEGIN { split(a, x, " "); split(b, y, " ")
        busy = y[1] - x[1] - j; tot = (y[1] - x[1]) + (y[2] - x[2]); if (busy < 0) busy = 0
        printf "%.0f", tot ? 100 * busy / tot : 0 }')
    (( other > 25 )) && log "warning: other work used ${other}% of the CPUs during $mode $d run $run: figures skewed"
    sleep "$(awk -v d="$RSS_DELAY" -v u=$(( $(now_us) - t1 )) 'BEGIN { r = d - u / 1000000; printf "%.3f", (r > 0 ? r : 0) }')"
    [ -d "/proc/$pid" ] || fail_boot "$d" "java process $pid exited after ready"
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$rss_kb" ] || fail_boot "$d" "could not read VmRSS of pid $pid"
    local rss; rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
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
    printf '%-11s %-9s %-4s %-7s %-7s %-7s %s\n' "$mode" "$d" "$run" "$boot" "$ready" "$rss" "$other" >&2
    ROWS+="$mode $d $run $boot $rss $other $ready"$'\n'
}

median() { tr ' ' '\n' | awk 'NF { v[n++] = $1 } END {
    if (!n) { print "NA"; exit }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    print m }'; }

col() { awk -v m="$1" -v d="$2" -v c="$3" '$1 == m && $2 == d { printf "%s ", $c }' <<<"$ROWS"; }

# ---------------------------------------------------------------- main

mkdir -p "$WORK/dl" "$WORK/logs"
rm -f "$WORK"/logs/*.karaf.log
for d in "${DISTS[@]}"; do kill_home "${HOME_OF[$d]}"; done   # leftovers of an aborted run
get_sitegate
get_stock
if [ ! -f "$KEY" ] || [ ! -f "$KEY.pub" ]; then
    rm -f "$KEY" "$KEY.pub"
    ssh-keygen -q -t ecdsa -b 256 -N '' -C sitegate-bench -f "$KEY" || die "ssh-keygen failed"
fi
for k in sitegate stock stock_rmi_registry stock_rmi_server; do
    PORT_OF[$k]=$(pick_port); [ -n "${PORT_OF[$k]}" ] || exit 1
done
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
log "Sitegate $SITEGATE_VERSION (ssh 127.0.0.1:${PORT_OF[sitegate]}) vs stock Karaf $KARAF_VERSION (ssh 127.0.0.1:${PORT_OF[stock]}), $RUNS runs each, $JAVA_VERSION"

ROWS=
printf '%-11s %-9s %-4s %-7s %-7s %-7s %s\n' mode dist run boot_s ready_s rss_MB other% >&2
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

{
    echo "# Sitegate boot benchmark, $(date '+%Y-%m-%d %H:%M:%S %z'), $(hostname), $(nproc) CPUs"
    echo "# sitegate: $SITEGATE_TARBALL ($SITEGATE_VERSION)"
    echo "# stock:    org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"
    echo "# java:     $JAVA_HOME ($JAVA_VERSION)"
    echo "# boot = launch (sitegate: bin/sitegate-launch start, stock: bin/start) -> SSH command answers READY"
    echo "#   (sitegate: sitegate:status --check, stock: shell:echo READY); ready = launch -> Sitegate logs that every"
    echo "#   Sitegate bundle and component is active (the gateway's own boot, without the SSH server and login)."
    echo "# rss = VmRSS of the Karaf java process ${RSS_DELAY} s after ready. first-boot: fresh unpack; restart: data/ kept."
    echo "# other% = share of the machine's CPU used by other processes during the boot (above ~25% the figures are skewed;"
    echo "#   includes a few % for this script's SSH polling and bin/karaf's own java -version probes)."
    echo
    printf '%-11s %-9s %-4s %-7s %-7s %-7s %s\n' mode dist run boot_s ready_s rss_MB other%
    printf '%s' "$ROWS" | awk '{ printf "%-11s %-9s %-4s %-7s %-7s %-7s %s\n", $1, $2, $3, $4, $7, $5, $6 }'
    echo
    printf '%-11s %-9s %-5s %-14s %-15s %s\n' mode dist runs boot_median_s ready_median_s rss_median_MB
    declare -A BM RM
    for mode in first-boot restart; do
        for d in "${DISTS[@]}"; do
            BM[$mode,$d]=$(col "$mode" "$d" 4 | median)
            RM[$mode,$d]=$(col "$mode" "$d" 5 | median)
            local_ready=$(col "$mode" "$d" 7 | grep -v -- - | median 2>/dev/null)
            printf '%-11s %-9s %-5s %-14s %-15s %s\n' "$mode" "$d" "$RUNS" \
                "$(awk -v v="${BM[$mode,$d]}" 'BEGIN { printf "%.2f", v }')" \
                "$( [ -n "$local_ready" ] && [ "$local_ready" != NA ] && awk -v v="$local_ready" 'BEGIN { printf "%.2f", v }' || echo -)" \
                "$(awk -v v="${RM[$mode,$d]}" 'BEGIN { printf "%.0f", v }')"
        done
    done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
    echo "ratio sitegate/stock: first-boot time $(ratio "${BM[first-boot,sitegate]}" "${BM[first-boot,stock]}")," \
        "rss $(ratio "${RM[first-boot,sitegate]}" "${RM[first-boot,stock]}");" \
        "restart time $(ratio "${BM[restart,sitegate]}" "${BM[restart,stock]}")," \
        "rss $(ratio "${RM[restart,sitegate]}" "${RM[restart,stock]}")"
} > "$WORK/result.txt.tmp"
mv "$WORK/result.txt.tmp" "$WORK/result.txt"
echo
cat "$WORK/result.txt"
echo
echo "(written to $WORK/result.txt; per-run karaf.log copies in $WORK/logs/)"
