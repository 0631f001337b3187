#!/usr/bin/env bash
#
# DNS benchmark: Sitegate's DNS forwarder vs. dnsmasq and unbound, side by side, in one run.
#
#   tools/bench/dns.sh [--quick] [--rounds N] [--keep] [--names N] [--java-home DIR]
#
# All three are caching forwarders for the same local upstream (a dnsmasq holding bench.test: N names
# h0001.bench.test.. with A records, TTL 3600, and answering any *.miss.bench.test with 10.9.9.9) and get
# the same queries from dnsperf, one server after the other:
#   hit   cache hits, closed loop: one pass over the N names warms the cache (plus WARMUP s of unmeasured
#         load, for the JIT), then dnsperf -c CLIENTS -l DURATION                      -> qps
#   rate  cache hits at a fixed rate: dnsperf -c CLIENTS -Q RATE -l DURATION -v         -> p50/p99/p99.9
#   miss  cache misses, closed loop: names never asked before (fresh per server, round and run, each
#         answered by the upstream), dnsperf -c CLIENTS -l DURATION -n 1 -v           -> qps, p50/p99
# For each: server CPU per answered query (utime+stime of the server process from /proc/<pid>/stat),
# queries lost, response codes, and how busy the machine was otherwise. RSS of each server after start
# and after the runs. Prints markdown tables with Sitegate/dnsmasq and Sitegate/unbound ratios, and
# writes them to <repo>/target/bench-dns/result.txt.
#
# Options: --quick (DURATION=3, WARMUP=1: smoke test), --rounds N (repeat warm/hit/rate/miss N times,
# rotating which server goes first; report medians, default 1), --keep (keep the temp dir: configs,
# logs, dnsperf output), --names N (size of the hit set, default 5000), --java-home DIR (Java 17).
# Environment: DURATION (s, default 10), WARMUP (s, default 3), RATE (qps, default 20000), CLIENTS (default 4),
#   ROUNDS, MISS_NAMES_PER_S (fresh names prepared per second of a miss run, default 40000; dnsperf stops
#   early when they run out, which the report notes), UNBOUND_THREADS (default 2 = the cores here),
#   DNSMASQ_CACHE (dnsmasq's --cache-size, default: the hit set plus one miss run's names, see below),
#   PORT (default: the first free from 5354), SKIP_SITEGATE=1 (peers only), SKIP_DNSMASQ=1, SKIP_UNBOUND=1,
#   SITEGATE_TIMEOUT (s until the forwarder answers, default 90), WAIT_IDLE (s to wait before each
#   measurement for other work to drop below 20% CPU, default 0), JAVA_HOME, TMPDIR.
# Addresses: upstream 127.0.0.2, dnsmasq 127.0.0.3, unbound 127.0.0.4, Sitegate 127.0.0.5, all on PORT;
# Sitegate's SSH on a free port of 127.0.0.1. Nothing leaves 127.0.0.0/8. Everything runs in a temp dir
# (mktemp) and every process is stopped on exit.
# Sitegate: the newest karaf-assembly/target/sitegate-karaf-*.tar.gz (must contain the io.sitegate.dns
# bundle), unpacked, etc/io.sitegate.dns.cfg set to listen on 127.0.0.5:PORT, upstreams =
# udp://127.0.0.2:PORT, rateLimit.qps = 0, log.*Sample = 0, cache.maxEntries = 100000; started with
# bin/sitegate-launch server and the shipped JVM options; ready when dig gets NOERROR for h0001.bench.test.
# Caches: dnsmasq's forwarding rate collapses once a large cache is full (measured here: --cache-size=100000
# ~20k misses/s until full, then <100/s with lost queries; 10000: ~4k/s), so it gets room for the hit set and
# one miss run, and its cache is cleared (SIGHUP) before each of its miss runs: it never evicts. It
# preallocates that cache (~110 bytes per entry, in its RSS). unbound: msg 64m/rrset 128m, evicting as it
# does. Sitegate: cache.maxEntries 100000 and the shipped cache.maxBytes: it evicts during the miss runs.
# Needs: dnsmasq, unbound, dig, dnsperf (apt-get install dnsmasq-base unbound bind9-dnsutils dnsperf),
# awk, ss (iproute2), tar, gzip.
#
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
RATE=${RATE:-20000}
CLIENTS=${CLIENTS:-4}
NAMES=${NAMES:-5000}
MISS_NAMES_PER_S=${MISS_NAMES_PER_S:-40000}
UNBOUND_THREADS=${UNBOUND_THREADS:-2}
SITEGATE_TIMEOUT=${SITEGATE_TIMEOUT:-90}
WAIT_IDLE=${WAIT_IDLE:-0}
ROUNDS=${ROUNDS:-1}
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
KEEP=0
DNSPERF_TIMEOUT=2
RESULT_DIR="$REPO/target/bench-dns"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-2}"; }
die() { echo "dns.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) DURATION=3; WARMUP=1; shift ;;
        --keep) KEEP=1; shift ;;
        --names) NAMES=${2:-}; shift 2 ;;
        --names=*) NAMES=${1#*=}; shift ;;
        --rounds) ROUNDS=${2:-}; shift 2 ;;
        --rounds=*) ROUNDS=${1#*=}; shift ;;
        --java-home) JH=${2:-}; shift 2 ;;
        --java-home=*) JH=${1#*=}; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
for v in DURATION RATE CLIENTS NAMES MISS_NAMES_PER_S UNBOUND_THREADS SITEGATE_TIMEOUT ROUNDS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (is '${!v}')"
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a number of seconds"
DNSMASQ_CACHE=${DNSMASQ_CACHE:-$(( (NAMES + MISS_NAMES_PER_S * (DURATION > WARMUP ? DURATION : WARMUP) + 9999) / 10000 * 10000 ))}
[[ "$DNSMASQ_CACHE" =~ ^[1-9][0-9]*$ ]] || die "DNSMASQ_CACHE must be a positive integer"
[[ "$WAIT_IDLE" =~ ^[0-9]+$ ]] || die "WAIT_IDLE must be a number of seconds"
(( NAMES <= 99999 )) || die "--names: at most 99999"
for c in dnsmasq unbound dig dnsperf awk ss sort getconf; do
    command -v "$c" >/dev/null 2>&1 || die "missing required command: $c (apt-get install -y dnsmasq-base unbound bind9-dnsutils dnsperf)"
done

SERVERS=()
[ "${SKIP_DNSMASQ:-0}" = 1 ] || SERVERS+=(dnsmasq)
[ "${SKIP_UNBOUND:-0}" = 1 ] || SERVERS+=(unbound)
[ "${SKIP_SITEGATE:-0}" = 1 ] || SERVERS+=(sitegate)
[ ${#SERVERS[@]} -gt 0 ] || die "nothing to benchmark (every server skipped)"
has() { local s; for s in "${SERVERS[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

UP_ADDR=127.0.0.2
declare -A ADDR_OF=([dnsmasq]=127.0.0.3 [unbound]=127.0.0.4 [sitegate]=127.0.0.5)
declare -A PID_OF RSS0_OF ASKED_OF   # ASKED_OF: distinct names each server was asked
CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- the Sitegate distribution (checked first)

tarball_ok() { gzip -t "$1" 2>/dev/null && tar tzf "$1" >/dev/null 2>&1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sitegate-bench-dns.XXXXXX") || die "cannot create a temp dir"
SG_HOME="$WORK/sitegate"

get_sitegate() {   # snapshot the built tarball (someone may rebuild it meanwhile), check it has the forwarder
    local t i
    for i in $(seq 6); do
        t=$(ls -t "$REPO"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)
        [ -n "$t" ] || die "no Sitegate distribution: $REPO/karaf-assembly/target/sitegate-karaf-*.tar.gz is missing
  build it (cd $REPO && JAVA_HOME=$JH mvn -B -q install -DskipTests), or run the peers only with SKIP_SITEGATE=1"
        if cp -p "$t" "$WORK/sitegate.tar.gz" 2>/dev/null && tarball_ok "$WORK/sitegate.tar.gz"; then
            SITEGATE_TARBALL=$t
            SITEGATE_VERSION=$(basename "$t" .tar.gz); SITEGATE_VERSION=${SITEGATE_VERSION#sitegate-karaf-}
            tar tzf "$WORK/sitegate.tar.gz" > "$WORK/sitegate.list"   # (not piped into grep -q: pipefail)
            grep -q '/system/io/sitegate/io\.sitegate\.dns/.*\.jar$' "$WORK/sitegate.list" \
                || die "$t has no io.sitegate.dns bundle (built before bundles/dns existed?): rebuild it, or SKIP_SITEGATE=1"
            return 0
        fi
        log "Sitegate tarball $t incomplete (being rebuilt?), retrying in 10 s"
        sleep 10
    done
    die "could not get a complete copy of $t"
}

# ---------------------------------------------------------------- processes and cleanup

# every process of ours: the servers and dnsperf all carry $WORK in their command line
work_pids() {
    local d pid
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        [ "$pid" = "$$" ] && continue
        grep -qaF -e "$WORK" "$d/cmdline" 2>/dev/null && echo "$pid"
    done
}

stop_pid() {   # TERM, wait up to $2 s, KILL
    local pid=$1 grace=${2:-5} i
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq $(( grace * 10 ))); do [ -d "/proc/$pid" ] || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    sleep 0.1
}

CLEANED=0
cleanup() {
    [ "$CLEANED" = 1 ] && return
    CLEANED=1
    local s pids
    for s in "${!PID_OF[@]}"; do stop_pid "${PID_OF[$s]}" 10; done
    pids=$(work_pids)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    wait 2>/dev/null
    if [ "$KEEP" = 1 ]; then echo "dns.sh: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'echo "dns.sh: interrupted, stopping the servers" >&2; exit 130' INT
trap 'exit 143' TERM

sitegate_log_tail() {
    {
        echo "----- last 40 lines of $SG_HOME/data/log/karaf.log -----"
        tail -n 40 "$SG_HOME/data/log/karaf.log" 2>/dev/null || echo "(no data/log/karaf.log)"
        echo "----- last 20 lines of the launcher's output -----"
        tail -n 20 "$WORK/sitegate.out" 2>/dev/null || echo "(none)"
    } >&2
}

fail_server() {   # fail_server <server> <why>
    echo "dns.sh: $1: $2" >&2
    case $1 in
        sitegate) sitegate_log_tail ;;
        dnsmasq|upstream) tail -n 20 "$WORK/$1.log" >&2 2>/dev/null ;;
        unbound) tail -n 20 "$WORK/unbound.log" "$WORK/unbound.out" >&2 2>/dev/null ;;
    esac
    exit 1
}

# ---------------------------------------------------------------- ports

# is addr:port free for UDP and TCP (no socket on it, none on a wildcard address)?
addr_free() {
    local addr=$1 port=$2
    local used
    used=$(ss -Hulnt "( sport = :$port )" 2>/dev/null | awk '{ print $5 }')
    ! grep -qE "^($addr|0\.0\.0\.0|\*|\[::\]|\[::ffff:$addr\]):$port\$" <<<"$used"
}

pick_port() {
    local p a ok
    if [ -n "${PORT:-}" ]; then
        [[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 1024 && PORT < 65536 )) || die "PORT must be a port number above 1024"
        for a in $UP_ADDR "${ADDR_OF[@]}"; do addr_free "$a" "$PORT" || die "$a:$PORT is in use (PORT=$PORT)"; done
        return 0
    fi
    for p in $(seq 5354 5454); do
        ok=1
        for a in $UP_ADDR "${ADDR_OF[@]}"; do addr_free "$a" "$p" || { ok=0; break; }; done
        [ "$ok" = 1 ] && { PORT=$p; return 0; }
    done
    die "no port in 5354-5454 free on 127.0.0.2-5: set PORT"
}

free_tcp_port() {
    local p i
    for i in $(seq 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
    done
    die "no free TCP port found"
}

# ---------------------------------------------------------------- data

make_data() {
    awk -v n="$NAMES" 'BEGIN { for (i = 1; i <= n; i++) printf "10.1.%d.%d h%04d.bench.test\n", int(i / 250), i % 250 + 1, i }' \
        > "$WORK/zone.hosts"
    awk -v n="$NAMES" 'BEGIN { for (i = 1; i <= n; i++) printf "h%04d.bench.test A\n", i }' > "$WORK/hits.txt"
}

make_miss() {   # make_miss <server> <tag> [seconds] -> $WORK/miss-<server>.txt: names nobody asked for yet
    local s=$1 n=$(( MISS_NAMES_PER_S * ${3:-$DURATION} ))
    awk -v n="$n" -v p="m$RUN_ID-$2${s:0:1}" 'BEGIN { for (i = 1; i <= n; i++) printf "%s-%d.miss.bench.test A\n", p, i }' \
        > "$WORK/miss-$s.txt"
}

# ---------------------------------------------------------------- servers

set_cfg() {   # set_cfg <file> <key> <value>: replace "key = ..." (or append it)
    local f=$1 k=$2 v=$3 kre
    kre=$(sed 's/[.]/\\./g' <<<"$k")
    if grep -qE "^[[:space:]]*$kre[[:space:]]*=" "$f"; then
        sed -i -E "s|^[[:space:]]*$kre[[:space:]]*=.*|$k = $v|" "$f"
    else
        echo "$k = $v" >> "$f"
    fi
}

# dig_ok <addr> <name>: the server answers NOERROR with an A record
dig_ok() {
    local out
    out=$(dig @"$1" -p "$PORT" "$2" A +time=1 +tries=1 +noall +comments +answer 2>/dev/null)
    grep -q 'status: NOERROR' <<<"$out" && grep -qE "[[:space:]]A[[:space:]]+10\." <<<"$out"
}

wait_ready() {   # wait_ready <server> <addr> <timeout s>
    local s=$1 addr=$2 t=$3 until=$(( SECONDS + $3 ))
    while ! dig_ok "$addr" h0001.bench.test; do
        [ -d "/proc/${PID_OF[$s]}" ] || fail_server "$s" "exited during start"
        (( SECONDS < until )) || fail_server "$s" "does not answer h0001.bench.test with NOERROR on $addr:$PORT within $t s"
        sleep 0.2
    done
}

start_upstream() {
    dnsmasq -k --no-resolv --no-hosts --addn-hosts="$WORK/zone.hosts" --local-ttl=3600 \
        --address=/miss.bench.test/10.9.9.9 --listen-address=$UP_ADDR --port="$PORT" --bind-interfaces \
        --user=root --group=root --pid-file= --log-facility="$WORK/upstream.log" --dns-forward-max=1000 \
        </dev/null >"$WORK/upstream.out" 2>&1 &
    PID_OF[upstream]=$!
    wait_ready upstream $UP_ADDR 10
}

start_dnsmasq() {
    dnsmasq -k --no-resolv --no-hosts --server="$UP_ADDR#$PORT" --cache-size="$DNSMASQ_CACHE" \
        --listen-address="${ADDR_OF[dnsmasq]}" --port="$PORT" --bind-interfaces \
        --user=root --group=root --pid-file= --log-facility="$WORK/dnsmasq.log" \
        </dev/null >"$WORK/dnsmasq.out" 2>&1 &
    PID_OF[dnsmasq]=$!
    wait_ready dnsmasq "${ADDR_OF[dnsmasq]}" 10
}

start_unbound() {
    cat > "$WORK/unbound.conf" <<EOF
server:
    interface: ${ADDR_OF[unbound]}
    port: $PORT
    do-ip6: no
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$WORK"
    pidfile: ""
    logfile: "$WORK/unbound.log"
    use-syslog: no
    verbosity: 1
    num-threads: $UNBOUND_THREADS
    so-reuseport: yes
    module-config: "iterator"
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    local-zone: "test." nodefault
    msg-cache-size: 64m
    rrset-cache-size: 128m
    prefetch: no
    qname-minimisation: no
    trust-anchor-signaling: no
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: $UP_ADDR@$PORT
EOF
    unbound-checkconf "$WORK/unbound.conf" >/dev/null || die "unbound-checkconf rejects $WORK/unbound.conf"
    unbound -d -c "$WORK/unbound.conf" </dev/null >"$WORK/unbound.out" 2>&1 &
    PID_OF[unbound]=$!
    wait_ready unbound "${ADDR_OF[unbound]}" 10
}

start_sitegate() {
    local cfg ssh
    mkdir -p "$SG_HOME" && tar xzf "$WORK/sitegate.tar.gz" -C "$SG_HOME" --strip-components=1 \
        || die "cannot unpack $SITEGATE_TARBALL"
    cfg="$SG_HOME/etc/io.sitegate.dns.cfg"
    if [ ! -f "$cfg" ]; then
        log "the distribution has no etc/io.sitegate.dns.cfg: using $REPO/etc/io.sitegate.dns.cfg"
        cp "$REPO/etc/io.sitegate.dns.cfg" "$cfg" || die "no io.sitegate.dns.cfg to start from"
    fi
    set_cfg "$cfg" listen "${ADDR_OF[sitegate]}:$PORT"
    set_cfg "$cfg" upstreams "udp://$UP_ADDR:$PORT"
    set_cfg "$cfg" rateLimit.qps 0          # off: the peers do not rate-limit either
    set_cfg "$cfg" log.blockSample 0
    set_cfg "$cfg" log.querySample 0
    set_cfg "$cfg" cache.maxEntries 100000
    ssh=$(free_tcp_port)
    set_cfg "$SG_HOME/etc/org.apache.karaf.shell.cfg" sshPort "$ssh"
    set_cfg "$SG_HOME/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    # the shipped JVM options (bin/setenv) and nothing else
    ( unset JAVA_OPTS EXTRA_JAVA_OPTS KARAF_OPTS KARAF_SYSTEM_OPTS KARAF_DEBUG SITEGATE_JAVA_OPTS _JAVA_OPTIONS \
            JDK_JAVA_OPTIONS JAVA_TOOL_OPTIONS CLASSPATH KARAF_HOME KARAF_BASE KARAF_DATA KARAF_ETC
      export JAVA_HOME="$JH"
      exec "$SG_HOME/bin/sitegate-launch" server ) </dev/null >"$WORK/sitegate.out" 2>&1 &
    PID_OF[sitegate]=$!   # sitegate-launch execs java: this is the JVM
    local t0=$SECONDS
    wait_ready sitegate "${ADDR_OF[sitegate]}" "$SITEGATE_TIMEOUT"
    SITEGATE_READY_S=$(( SECONDS - t0 ))
    log "sitegate answers after $SITEGATE_READY_S s (pid ${PID_OF[sitegate]}, ssh 127.0.0.1:$ssh)"
}

# ---------------------------------------------------------------- measurement

proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime+stime
cpu_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $5+$6 }' /proc/stat; }   # "busy idle", all CPUs
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo NA; }

cpu_busy() {   # % of all CPUs busy during 1 s
    local a b
    a=$(cpu_ticks); sleep 1; b=$(cpu_ticks)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
        busy = y[1] - x[1]; idle = y[2] - x[2]; printf "%.0f", (busy + idle) ? 100 * busy / (busy + idle) : 0 }'
}

wait_idle() {
    (( WAIT_IDLE > 0 )) || return 0
    local load until=$(( SECONDS + WAIT_IDLE ))
    load=$(cpu_busy)
    (( load > 20 )) && log "CPUs ${load}% busy with other work: waiting up to ${WAIT_IDLE} s"
    while (( load > 20 && SECONDS < until )); do load=$(cpu_busy); done
}

thread_ticks() {   # thread_ticks <pid>: "ticks<TAB>thread name" per thread
    local t
    for t in /proc/"$1"/task/[0-9]*; do
        printf '%s\t%s\n' "$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null || echo 0)" "$(cat "$t/comm" 2>/dev/null)|${t##*/}"
    done
}

# threads_diff <before> <after>: CPU seconds per thread group (names with their numbers folded), top 6
threads_diff() {
    awk -F'\t' -v hz="$CLK_TCK" 'NR == FNR { b[$2] = $1; next } { d[$2] = $1 - b[$2] }
        END { for (k in d) { n = k; sub(/\|[0-9]+$/, "", n); gsub(/[-#][0-9]+/, "-N", n); sub(/[0-9]+$/, "N", n); g[n] += d[k]; c[n]++ }
              for (n in g) if (g[n] > 0) printf "%.2f\t%s (%d)\n", g[n] / hz, n, c[n] }' "$1" "$2" \
        | sort -rn | head -6 | awk -F'\t' '{ printf "%s%s %ss", (NR > 1 ? ", " : ""), $2, $1 } END { print "" }'
}

# dnsperf_run <out-prefix> <server> <dnsperf args...>: runs dnsperf against the server, measuring CPU.
# Leaves $P.out (dnsperf stdout), $P.err, and sets R_SRV_TICKS, R_UP_TICKS, R_PERF_S, R_BUSY, R_TOTAL.
dnsperf_run() {
    local p=$1 s=$2; shift 2
    local pid=${PID_OF[$s]} a0 a1 u0 u1 c0 c1 tf=$p.time
    [ -d "/proc/$pid" ] || fail_server "$s" "is no longer running"
    [ "$s" = sitegate ] && thread_ticks "$pid" > "$p.threads0"
    a0=$(proc_ticks "$pid"); u0=$(proc_ticks "${PID_OF[upstream]}"); c0=$(cpu_ticks)
    { TIMEFORMAT='%3U %3S'; time dnsperf -s "${ADDR_OF[$s]}" -p "$PORT" -t "$DNSPERF_TIMEOUT" "$@" >"$p.out" 2>"$p.err"; } 2>"$tf"
    a1=$(proc_ticks "$pid"); u1=$(proc_ticks "${PID_OF[upstream]}"); c1=$(cpu_ticks)
    [ -d "/proc/$pid" ] || fail_server "$s" "exited during the dnsperf run ($*)"
    if [ "$s" = sitegate ]; then
        thread_ticks "$pid" > "$p.threads1"
        threads_diff "$p.threads0" "$p.threads1" > "$p.threads"
    fi
    grep -q '^Statistics:' "$p.out" || { cat "$p.err" >&2; die "dnsperf against $s failed ($*)"; }
    case " $* " in *" -d $WORK/miss-"*) ASKED_OF[$s]=$(( ${ASKED_OF[$s]:-$NAMES} + $(stat_of "$p.out" sent) )) ;; esac
    R_SRV_TICKS=$(( a1 - a0 )); R_UP_TICKS=$(( u1 - u0 ))
    R_PERF_S=$(awk '{ print $1 + $2 }' "$tf")
    read -r R_BUSY R_TOTAL < <(awk -v a="$c0" -v b="$c1" 'BEGIN { split(a, x, " "); split(b, y, " ")
        print y[1] - x[1], (y[1] - x[1]) + (y[2] - x[2]) }')
}

stat_of() {   # stat_of <dnsperf.out> <field>
    local f=$1
    case $2 in
        sent)      awk '/Queries sent:/ { print $3 }' "$f" ;;
        completed) awk '/Queries completed:/ { print $3 }' "$f" ;;
        lost)      awk '/Queries lost:/ { print $3 }' "$f" ;;
        runtime)   awk '/Run time \(s\):/ { print $4 }' "$f" ;;
        qps)       awk '/Queries per second:/ { printf "%.0f", $4 }' "$f" ;;
        avg_us)    awk '/Average Latency \(s\):/ { printf "%.0f", $4 * 1000000 }' "$f" ;;
        rcodes)    awk -F': *' '/Response codes:/ { gsub(/ \([0-9.]+%\)/, "", $2); gsub(/, /, ",", $2); gsub(/ /, ":", $2); print $2 }' "$f" ;;
        stop)      awk '/\[Status\] Testing complete/ { sub(/.*\(/, ""); sub(/\).*/, ""); print }' "$f" ;;
    esac
}

# percentiles <dnsperf -v output>: "p50 p99 p999" in µs over all queries sent; a lost query counts as slower
# than any answer ("lost" when a percentile falls among them)
percentiles() {
    awk '$1 == ">" && NF == 5 { printf "%.0f\n", $5 * 1000000 } $1 == ">" && $2 == "T" { print "inf" }' "$1" \
        | sort -g | awk '{ v[NR] = $1 } END {
            n = NR; if (!n) { print "NA NA NA"; exit }
            split("0.50 0.99 0.999", q, " ")
            for (i = 1; i <= 3; i++) { k = int(q[i] * n + 0.999999); if (k < 1) k = 1; if (k > n) k = n
                x = v[k]; printf "%s%s", (x == "inf" ? "lost" : x), (i < 3 ? " " : "\n") } }'
}

# row <round> <run> <server> <dnsperf.out> <verbose 0/1>: append a result row to $ROWS:
#   round run server qps avg p50 p99 p999 lost rcodes cpu_us_per_q srv% up% perf% other% sent runtime stop
row() {
    local round=$1 run=$2 s=$3 out=$4 verbose=$5 pct="- - -" completed lost cpu_us srv up perf other line
    completed=$(stat_of "$out" completed); lost=$(stat_of "$out" lost)
    [ "$verbose" = 1 ] && pct=$(percentiles "$out")
    read -r cpu_us srv up perf other < <(awk -v t="$R_SRV_TICKS" -v u="$R_UP_TICKS" -v hz="$CLK_TCK" -v c="$completed" \
        -v ps="$R_PERF_S" -v busy="$R_BUSY" -v tot="$R_TOTAL" -v rt="$(stat_of "$out" runtime)" 'BEGIN {
        cpu = c ? t / hz * 1000000 / c : 0
        srv = rt ? 100 * t / hz / rt : 0; up = rt ? 100 * u / hz / rt : 0; perf = rt ? 100 * ps / rt : 0
        o = tot ? 100 * (busy - t - u - ps * hz) / tot : 0; if (o < 0) o = 0
        printf "%.1f %.0f %.0f %.0f %.0f\n", cpu, srv, up, perf, o }')
    line="$round $run $s $(stat_of "$out" qps) $(stat_of "$out" avg_us) $pct $lost $(stat_of "$out" rcodes) $cpu_us $srv $up $perf $other $(stat_of "$out" sent) $(stat_of "$out" runtime) $(stat_of "$out" stop | tr ' ' '_')"
    ROWS+="$line"$'\n'
    LAST_OTHER=$other
    log "  -> $(awk '{ printf "qps %s avg %s p50 %s p99 %s p99.9 %s lost %s rcodes %s cpu/q %s µs srv %s%% up %s%% dnsperf %s%% other %s%%", $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }' <<<"$line")"
    (( other > 15 )) && log "warning: other work used ${other}% of the CPUs during $run/$s: figures skewed"
    (( lost > 0 )) && log "warning: $s lost $lost queries in $run (dnsperf: $(grep 'Queries lost' "$out" | tr -s ' '))"
    return 0
}

clear_dnsmasq_cache() {   # before a miss run: dnsmasq must never evict (see the top)
    [ "$1" = dnsmasq ] || return 0
    kill -HUP "${PID_OF[dnsmasq]}" 2>/dev/null || fail_server dnsmasq "is no longer running"
    sleep 0.3
}

# measure <round> <run> <server>: one measurement. With WAIT_IDLE, one that other work disturbed (more
# than 15% of the CPUs) is repeated, at most twice; the least disturbed attempt counts.
measure() {
    local round=$1 run=$2 s=$3 try p args saved=$ROWS best= best_other= best_try= f
    p="$WORK/$run-$s-$round"
    for try in 1 2 3; do
        case $run in
            hit)  args=(-d "$WORK/hits.txt" -c "$CLIENTS" -l "$DURATION") ;;
            rate) args=(-d "$WORK/hits.txt" -c "$CLIENTS" -Q "$RATE" -l "$DURATION" -v) ;;
            miss) make_miss "$s" "$round-$try"
                  clear_dnsmasq_cache "$s"
                  args=(-d "$WORK/miss-$s.txt" -c "$CLIENTS" -l "$DURATION" -n 1 -v) ;;
        esac
        wait_idle
        log "$run $s: dnsperf ${args[*]:2}"
        dnsperf_run "$p.try$try" "$s" "${args[@]}"
        [ "$run" = miss ] && rm -f "$WORK/miss-$s.txt"
        ROWS=$saved
        row "$round" "$run" "$s" "$p.try$try.out" "$([ "$run" = hit ] && echo 0 || echo 1)"
        if [ -z "$best" ] || (( LAST_OTHER < best_other )); then
            best=${ROWS#"$saved"}; best_other=$LAST_OTHER; best_try=$try
        fi
        (( WAIT_IDLE > 0 && LAST_OTHER > 15 && try < 3 )) || break
        log "  repeating $run $s: other work was busy"
    done
    ROWS=$saved$best
    (( try > 1 )) && log "  counting attempt $best_try of $try (other work ${best_other}%)"
    for f in "$p.try$best_try".*; do mv -f "$f" "$p.${f##*.}"; done
    rm -f "$p".try[0-9].*
    return 0
}

warm() {   # warm <server> <round>: one pass over the hit names, then WARMUP s of unmeasured load (hits and misses)
    local s=$1 round=$2 p="$WORK/warm-$1" c
    dnsperf_run "$p-pass" "$s" -d "$WORK/hits.txt" -n 1 -c "$CLIENTS"
    c=$(stat_of "$p-pass.out" completed)
    [ "$c" = "$NAMES" ] || log "warning: $s: the warm-up pass answered $c of $NAMES names ($(stat_of "$p-pass.out" rcodes))"
    if ! grep -q 'Response codes: *NOERROR [0-9]* (100.00%)' "$p-pass.out"; then
        log "warning: $s: warm-up pass response codes: $(stat_of "$p-pass.out" rcodes)"
    fi
    (( WARMUP > 0 )) || return 0
    dnsperf_run "$p-load" "$s" -d "$WORK/hits.txt" -c "$CLIENTS" -l "$WARMUP"
    if (( round == 1 )); then   # the miss path too, once (for a JIT); the hit names get re-warmed after it
        make_miss "$s" "w" "$WARMUP"
        clear_dnsmasq_cache "$s"
        dnsperf_run "$p-miss" "$s" -d "$WORK/miss-$s.txt" -c "$CLIENTS" -l "$WARMUP" -n 1
        rm -f "$WORK/miss-$s.txt"
        dnsperf_run "$p-pass2" "$s" -d "$WORK/hits.txt" -n 1 -c "$CLIENTS"
    fi
}

# ---------------------------------------------------------------- main

[ "${SKIP_SITEGATE:-0}" = 1 ] || {
    [ -x "$JH/bin/java" ] || die "no java at $JH/bin/java (set JAVA_HOME or --java-home to a Java 17)"
    get_sitegate
}
pick_port
RUN_ID=$(date +%s)
make_data
log "work dir $WORK; upstream $UP_ADDR:$PORT ($NAMES names); servers: $(for s in "${SERVERS[@]}"; do printf '%s %s:%s  ' "$s" "${ADDR_OF[$s]}" "$PORT"; done)"
start_upstream
for s in "${SERVERS[@]}"; do
    start_"$s"
    sleep 1
    RSS0_OF[$s]=$(rss_mb "${PID_OF[$s]}")
done

ROWS=
for round in $(seq "$ROUNDS"); do
    # each round starts with another server, so that none always runs first (or last)
    ORDER=()
    for i in "${!SERVERS[@]}"; do ORDER+=("${SERVERS[$(( (i + round - 1) % ${#SERVERS[@]} ))]}"); done
    (( ROUNDS > 1 )) && log "round $round of $ROUNDS: ${ORDER[*]}"
    for s in "${ORDER[@]}"; do
        log "warming $s"
        warm "$s" "$round"
    done
    for run in hit rate miss; do
        for s in "${ORDER[@]}"; do measure "$round" "$run" "$s"; done
    done
done
declare -A RSS1_OF
for s in "${SERVERS[@]}"; do RSS1_OF[$s]=$(rss_mb "${PID_OF[$s]}"); done

# ---------------------------------------------------------------- report

ratio() {   # ratio <a> <b>: a/b, "-" when either is not a number
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b; else printf "-" }'
}

# summary: one line per run and server over all rounds (columns as in ROWS without the round, plus "used"):
# medians over the undisturbed rounds (other% <= 15; all rounds when none was), "lost" ranking above any
# latency; lost queries and response codes summed over all rounds
summarize() {
    awk '
    function med(key, c,   n, i, j, t, a, x) {
        n = cnt[key]
        for (i = 1; i <= n; i++) { x = val[key, i, c]; a[i] = (x == "lost") ? 1e18 : (x == "-" ? -1 : x + 0) }
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        x = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        if (x >= 1e18) return "lost"
        if (x < 0) return "-"
        return (c == 11) ? sprintf("%.1f", x) : sprintf("%.0f", x)
    }
    NR == FNR { if (NF >= 15 && $15 + 0 <= 15) clean[$2 " " $3] = 1; next }
    NF >= 15 {
        key = $2 " " $3
        if (!(key in all)) order[++nk] = key
        all[key]++
        lost[key] += $9
        m = split($10, rc, ",")
        for (i = 1; i <= m; i++) { split(rc[i], kv, ":"); if (kv[1] != "") { if (!((key, kv[1]) in codes)) names[key] = names[key] "," kv[1]; codes[key, kv[1]] += kv[2] } }
        if ((key in clean) && $15 + 0 > 15) next
        n = ++cnt[key]
        for (c = 4; c <= NF; c++) val[key, n, c] = $c
    }
    END {
        for (k = 1; k <= nk; k++) {
            key = order[k]; r = ""
            m = split(substr(names[key], 2), nm, ",")
            for (i = 1; i <= m; i++) r = r (i > 1 ? "," : "") nm[i] ":" codes[key, nm[i]]
            if (r == "") r = "none"
            print key, med(key, 4), med(key, 5), med(key, 6), med(key, 7), med(key, 8), lost[key], r, med(key, 11), med(key, 12), med(key, 13), med(key, 14), med(key, 15), cnt[key] "/" all[key]
        }
    }' <(printf '%s' "$ROWS") <(printf '%s' "$ROWS")
}

report() {
    local run title s other sum
    sum=$(summarize)
    field() { awk -v r="$1" -v s="$2" -v c="$3" '$1 == r && $2 == s { print $c }' <<<"$sum"; }
    echo "# Sitegate DNS benchmark, $(date '+%Y-%m-%d %H:%M:%S %z'), $(hostname), $(nproc) CPUs"
    if has sitegate; then
        echo "# sitegate: $SITEGATE_TARBALL ($SITEGATE_VERSION, built $(date -r "$WORK/sitegate.tar.gz" '+%Y-%m-%d %H:%M:%S'); repo at" \
            "$(git -C "$REPO" log -1 --format=%h 2>/dev/null)$( [ -n "$(git -C "$REPO" status --porcelain 2>/dev/null | head -1)" ] && echo ' + uncommitted changes'))"
        echo "#           $("$JH/bin/java" -version 2>&1 | head -1), shipped JVM options; answered $SITEGATE_READY_S s after launch"
    fi
    has dnsmasq && echo "# dnsmasq:  $(dnsmasq --version | head -1 | awk '{ print $3 }'), --cache-size=$DNSMASQ_CACHE, cache cleared (SIGHUP) before each miss run (it never evicts)"
    has unbound && echo "# unbound:  $(unbound -V | awk '/^Version/ { print $2 }'), num-threads $UNBOUND_THREADS, so-reuseport, module-config iterator"
    echo "# dnsperf:  $(dnsperf -h 2>&1 | awk '/^Version/ { print $2 }'), $CLIENTS clients, timeout ${DNSPERF_TIMEOUT} s; runs of $DURATION s; hit set $NAMES names (warmed, then ${WARMUP} s unmeasured load)"
    echo "# upstream: dnsmasq on $UP_ADDR:$PORT (bench.test from a hosts file, TTL 3600; *.miss.bench.test -> 10.9.9.9)"
    echo "# CPU µs/q: server utime+stime / answered queries. srv/up/perf%: server, upstream and dnsperf CPU in % of"
    echo "#   one core; other%: the rest of the machine's CPU (all cores) used by other work (>15% skews the figures)."
    echo "# p50/p99/p99.9 from dnsperf -v per-query latencies over all queries sent (a lost query ranks last)."
    (( ROUNDS > 1 )) && echo "# $ROUNDS rounds (server order rotated each round): medians over the rounds with other% <= 15 (all when none;"
    (( ROUNDS > 1 )) && echo "#   'rounds' = used/all); lost and rcodes summed over all rounds. Per round: below."
    for run in hit rate miss; do
        case $run in
            hit)  title="Cache hits, closed loop (dnsperf -c $CLIENTS -l $DURATION)" ;;
            rate) title="Cache hits at a fixed rate (dnsperf -c $CLIENTS -Q $RATE -l $DURATION -v)" ;;
            miss) title="Cache misses, closed loop (dnsperf -c $CLIENTS -l $DURATION -n 1 -v, fresh names answered by the upstream)" ;;
        esac
        echo
        echo "## $title"
        echo
        echo "| server | qps | avg µs | p50 µs | p99 µs | p99.9 µs | lost | rcodes | CPU µs/q | srv% | up% | perf% | other% | rounds |"
        echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
        awk -v r="$run" '$1 == r { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }' <<<"$sum"
        if has sitegate; then
            for other in dnsmasq unbound; do
                has "$other" || continue
                printf '| sitegate/%s | %s | %s | %s | %s | %s | | | %s | | | | | |\n' "$other" \
                    "$(ratio "$(field $run sitegate 3)" "$(field $run $other 3)")" \
                    "$(ratio "$(field $run sitegate 4)" "$(field $run $other 4)")" \
                    "$(ratio "$(field $run sitegate 5)" "$(field $run $other 5)")" \
                    "$(ratio "$(field $run sitegate 6)" "$(field $run $other 6)")" \
                    "$(ratio "$(field $run sitegate 7)" "$(field $run $other 7)")" \
                    "$(ratio "$(field $run sitegate 10)" "$(field $run $other 10)")"
            done
        fi
        awk -v r="$run" '$2 == r && $18 != "" && $18 != "time_limit" {
            printf "(round %s, %s: dnsperf stopped on \"%s\" after %s s, %s queries sent)\n", $1, $3, $18, $17, $16 }' <<<"$ROWS"
    done
    if has sitegate; then
        echo
        echo "## Sitegate CPU by thread (s of CPU during each measured run; thread numbers folded into N, (threads))"
        echo
        for f in "$WORK"/{hit,rate,miss}-sitegate-*.threads; do
            [ -f "$f" ] || continue
            s=${f##*/}; s=${s%.threads}
            echo "- ${s/-sitegate-/ round }: $(cat "$f")"
        done
    fi
    echo
    echo "## Memory"
    echo
    echo "| server | RSS MB after start | RSS MB after the runs | distinct names asked |"
    echo "|---|---:|---:|---:|"
    for s in "${SERVERS[@]}"; do echo "| $s | ${RSS0_OF[$s]} | ${RSS1_OF[$s]} | ${ASKED_OF[$s]:-$NAMES} |"; done
    if has sitegate; then
        for other in dnsmasq unbound; do
            has "$other" || continue
            echo "| sitegate/$other | $(ratio "${RSS0_OF[sitegate]}" "${RSS0_OF[$other]}") | $(ratio "${RSS1_OF[sitegate]}" "${RSS1_OF[$other]}") | |"
        done
    fi
    echo
    has dnsmasq && echo "dnsmasq preallocates its cache (--cache-size=$DNSMASQ_CACHE, ~110 bytes per entry): that is in both of its figures."
    has sitegate && echo "Sitegate's RSS is the whole gateway JVM (every capability, shipped JVM options), not the forwarder alone."
    if (( ROUNDS > 1 )); then
        echo
        echo "## Per round"
        echo
        echo "| round | run | server | qps | avg µs | p50 µs | p99 µs | p99.9 µs | lost | rcodes | CPU µs/q | srv% | up% | perf% | other% |"
        echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
        awk 'NF >= 15 { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }' <<<"$ROWS"
    fi
}

mkdir -p "$RESULT_DIR" 2>/dev/null
report > "$WORK/result.txt"
echo
cat "$WORK/result.txt"
if cp "$WORK/result.txt" "$RESULT_DIR/result.txt" 2>/dev/null; then
    echo
    echo "(written to $RESULT_DIR/result.txt)"
fi
if has sitegate; then
    grep -E ' (WARN|ERROR) ' "$SG_HOME/data/log/karaf.log" 2>/dev/null | grep -i dns | tail -n 10 | sed 's/^/sitegate log: /' >&2
fi
exit 0
