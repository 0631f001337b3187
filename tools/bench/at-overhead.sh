#!/usr/bin/env bash
#
# AT command overhead benchmark: Sitegate's modem stack vs. a bare read/write loop, side by side in one run.
#
#   tools/bench/at-overhead.sh [--rounds N] [--skip-build] [other options of the jar]
#
# Builds tools/at-bench (and what it needs), installs socat if missing (apt-get, needs root), then runs
# target/sitegate-at-bench.jar: a socat pty pair, the modem simulator in-process on one end, and N round
# trips AT -> OK per mode on the other end (default 20000, after 2000 warm-up), alternating in 20 blocks:
#   sitegate   Transports.fromPort(<pty>) + AtSession.execute(AtCommand.of("AT"))
#   baseline   RandomAccessFile on the pty, write "AT\r", read until "OK\r\n" (the modem's own reply time)
#   transport  diagnostic: the product's SerialTransport without AtSession (--no-diag to skip)
# Prints p50/p90/p99/p99.9/max per mode, the overhead sitegate - baseline at p50 and p99 and the ratio,
# and writes the same to tools/at-bench/target/at-bench/result.txt.
# Other jar options: --warmup N, --blocks N, --vendor ID, --no-diag, --out FILE (see --help).
# Environment: JAVA_HOME (default /usr/lib/jvm/java-17-openjdk-amd64), MVN_FLAGS (extra mvn flags, e.g. -o),
# JAVA_OPTS (extra JVM options). socat is killed and the pty links removed on exit, whatever happens.
#
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
JH=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
ROUNDS=20000
BUILD=1
PASS=()

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "at-overhead.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; ROUNDS=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    -h|--help) usage 0 ;;
    *) PASS+=("$1"); shift ;;
  esac
done
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && [ "$ROUNDS" -gt 0 ] || die "--rounds must be a positive number"
[ -x "$JH/bin/java" ] || die "no java in $JH (set JAVA_HOME to a Java 17)"
export JAVA_HOME=$JH

WORK=$(mktemp -d /tmp/at-overhead.XXXXXX)
JAVA_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$JAVA_PID" ] && kill -0 "$JAVA_PID" 2>/dev/null; then
    kill "$JAVA_PID" 2>/dev/null || true
    wait "$JAVA_PID" 2>/dev/null || true
  fi
  # the jar ends socat itself (also from a shutdown hook); this catches a JVM that died hard
  if [ -f "$WORK/pty/socat.pid" ]; then
    local pid
    pid=$(cat "$WORK/pty/socat.pid")
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = socat ]; then
      kill "$pid" 2>/dev/null || true
      sleep 0.2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v socat >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "socat is missing; install it (apt-get install socat) or run this as root"
  echo "installing socat ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >&2
fi

JAR="$REPO/tools/at-bench/target/sitegate-at-bench.jar"
if [ "$BUILD" = 1 ]; then
  echo "building ..." >&2
  cd "$REPO"
  # shellcheck disable=SC2086
  if grep -q '<module>tools/at-bench</module>' pom.xml; then
    mvn -B -q install -DskipTests -pl tools/at-bench -am ${MVN_FLAGS:-}
  else
    # not yet a module of the root build: build its dependencies there, then the module on its own
    mvn -B -q install -DskipTests -pl bundles/modem,tools/modem-sim -am ${MVN_FLAGS:-}
    (cd tools/at-bench && mvn -B -q package -DskipTests ${MVN_FLAGS:-})
  fi
fi
[ -f "$JAR" ] || die "$JAR not built (run without --skip-build)"

# shellcheck disable=SC2086
"$JH/bin/java" ${JAVA_OPTS:-} -jar "$JAR" --dir "$WORK/pty" --rounds "$ROUNDS" ${PASS[@]+"${PASS[@]}"} &
JAVA_PID=$!
set +e
wait "$JAVA_PID"
RC=$?
set -e
JAVA_PID=
exit "$RC"
