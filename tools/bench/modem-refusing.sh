#!/usr/bin/env bash
#
# A modem that refuses: how hard does the gateway hammer it, and what does that cost?
#
#   tools/bench/modem-refusing.sh [--seconds N] [--case NAME] [--skip-build] [--keep]
#
# Starts the modem simulator (tools/modem-sim, Quectel EC25 dialect, SIM present, registered, APN
# allowed) as its own process on a free 127.0.0.1 port, with one refusal, and runs the modem bundle's
# ConnectionKeeper in a second, plain JVM (RefusingModemBench, from bundles/modem test classes; no Karaf)
# with the production defaults (poll 15 s, back-off 2 s doubling to 300 s). After N seconds (default 60)
# it prints, for the keeper's JVM, over N seconds after a 3 s start-up that is not counted:
#   commands   command lines the simulator received (its journal), and per second
#   cpu_s      utime+stime of the keeper's JVM from /proc/<pid>/stat over the run, and as % of one core
#   log_lines  lines the keeper logged (WARN/ERROR/INFO) over the run
#   status     the last status the keeper showed (link, session, reason)
# Cases (--case, default all, one after the other):
#   required   ATE0 answered +CME ERROR: 3        (a required init command: the link cannot come up)
#   optional   AT+CMEE=1 answered +CME ERROR: 4   (an optional init command: learned, skipped, link up)
#   silent     ATE0 never answered                (no answer: a timeout, not a refusal)
#   identity   AT+CGSN answered +CME ERROR: 13    (identity unreadable: link up, session up, re-read)
#   refresh    AT+COPS? answered +CME ERROR: 3    (a registration query refused: link up, no session)
# Results also go to <repo>/target/bench-refusing/result.txt. --keep leaves the work files there.
# Environment: JAVA_HOME (default /usr/lib/jvm/java-17-openjdk-amd64), MVN_FLAGS (extra mvn flags, e.g.
# "-o -Dmaven.repo.local=/path").
#
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
SECONDS_RUN=60
CASES="required optional silent identity refresh"
BUILD=1
KEEP=0

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "modem-refusing.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || die "--seconds needs a value"; SECONDS_RUN=$2; shift 2 ;;
    --case) [ $# -ge 2 ] || die "--case needs a value"; CASES=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$SECONDS_RUN" =~ ^[0-9]+$ ]] && [ "$SECONDS_RUN" -gt 0 ] || die "--seconds must be a positive number"
[ -x "$JH/bin/java" ] || die "no java in $JH (set JAVA_HOME to a Java 17)"
export JAVA_HOME=$JH PATH=$JH/bin:$PATH

OUT="$REPO/target/bench-refusing"
mkdir -p "$OUT"
SIM_PID=
KEEPER_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in $KEEPER_PID $SIM_PID; do
    if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
  done
  [ "$KEEP" = 1 ] || rm -f "$OUT"/*.journal "$OUT"/*.scenario "$OUT"/*.sim.log
  exit $rc
}
trap cleanup EXIT INT TERM

# shellcheck disable=SC2086
if [ "$BUILD" = 1 ]; then
  (cd "$REPO" && mvn -B -q ${MVN_FLAGS:-} -pl bundles/core,tools/modem-sim,bundles/modem install -DskipTests) \
    || die "build failed"
fi
CP_FILE="$OUT/classpath.txt"
# shellcheck disable=SC2086
(cd "$REPO/bundles/modem" && mvn -B -q ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE") || die "cannot resolve the modem bundle's test classpath"
CP="$REPO/bundles/modem/target/test-classes:$REPO/bundles/modem/target/classes:$(cat "$CP_FILE")"
SIM_JAR="$REPO/tools/modem-sim/target/sitegate-modem-sim.jar"
[ -f "$SIM_JAR" ] || die "no $SIM_JAR (build tools/modem-sim)"
TCK=$(getconf CLK_TCK)
WARMUP=3

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
log_lines() { grep -cE '^\[[^]]*\] (WARN|ERROR|INFO) ' "$1" || true; }

scenario() {
  printf '%s\n' "set sim present" "set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name=\"Telekom.de\"" \
    "set apn-allowed internet.test"
  case "$1" in
    required) echo "fault cme ATE0 3" ;;
    optional) echo "fault cme AT+CMEE=1 4" ;;
    silent)   echo "fault no-answer ATE0" ;;
    identity) echo "fault cme AT+CGSN 13" ;;
    refresh)  echo "fault cme AT+COPS? 3" ;;
    *) die "unknown case '$1' (required, optional, silent, identity, refresh)" ;;
  esac
}

: > "$OUT/result.txt"
printf '%-9s %8s %10s %7s %7s %9s %9s  %s\n' case seconds commands cmd/s cpu_s cpu% log_lines status \
  | tee -a "$OUT/result.txt"
for c in $CASES; do
  scenario "$c" > "$OUT/$c.scenario"
  : > "$OUT/$c.journal"
  java -jar "$SIM_JAR" --tcp 0 --script "$OUT/$c.scenario" --journal "$OUT/$c.journal" > "$OUT/$c.sim.log" 2>&1 &
  SIM_PID=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/^modem-sim: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$OUT/$c.sim.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || die "simulator did not start: $(cat "$OUT/$c.sim.log")"
  java -cp "$CP" io.sitegate.modem.internal.service.RefusingModemBench "tcp://127.0.0.1:$port" \
    $((SECONDS_RUN + WARMUP + 30)) > "$OUT/$c.keeper.log" 2>&1 &
  KEEPER_PID=$!
  sleep "$WARMUP" # JVM start-up and the first connection are not what is measured
  kill -0 "$KEEPER_PID" 2>/dev/null || die "keeper JVM died: $(tail -5 "$OUT/$c.keeper.log")"
  cpu0=$(cpu_ticks "$KEEPER_PID"); cmd0=$(wc -l < "$OUT/$c.journal"); log0=$(log_lines "$OUT/$c.keeper.log")
  t0=$(date +%s.%N)
  sleep "$SECONDS_RUN"
  cpu1=$(cpu_ticks "$KEEPER_PID"); cmd1=$(wc -l < "$OUT/$c.journal"); log1=$(log_lines "$OUT/$c.keeper.log")
  t1=$(date +%s.%N)
  kill "$KEEPER_PID" 2>/dev/null || true; wait "$KEEPER_PID" 2>/dev/null || true; KEEPER_PID=
  kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=
  status=$(grep '^status: ' "$OUT/$c.keeper.log" | tail -1 | cut -c9-)
  awk -v c="$c" -v t0="$t0" -v t1="$t1" -v n0="$cmd0" -v n1="$cmd1" -v p0="$cpu0" -v p1="$cpu1" -v tck="$TCK" \
      -v l0="$log0" -v l1="$log1" -v st="$status" 'BEGIN {
    d = t1 - t0; cpu = (p1 - p0) / tck
    printf "%-9s %8.1f %10d %7.2f %7.2f %8.2f%% %9d  %s\n", c, d, n1 - n0, (n1 - n0) / d, cpu, 100 * cpu / d, l1 - l0, st
  }' | tee -a "$OUT/result.txt"
done
