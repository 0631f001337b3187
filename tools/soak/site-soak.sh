#!/usr/bin/env bash
#
# Soak runs of the whole site (issue 21): the SiteIT scenarios with long parameters, on the lab of
# tools/lab/site.sh (root). The suite runs 5 outages of 5-30 s and 10 kills; the soak runs
#
#   tools/soak/site-soak.sh outages [N] [MIN_S] [MAX_S] [log|uniform]
#                                         N cellular outages of MIN..MAX s (default 50, 10, 600, log): log draws
#                                         log-uniformly (as many of 10-60 s as of 100-600 s) and holds MIN and MAX once
#   tools/soak/site-soak.sh power [N]     N kill -9 of the gateway during traffic and policy applies (default 50)
#   options through the environment: SEED (reproduce a draw), MVN_ARGS (e.g. -o), SITE_PREFIX (the lab's
#   namespaces, default soak: a soak can run beside './sitegate test', whose lab is "site")
#
# Each runs the cold boot and the group policy first (s01, s02), then the one scenario (s09 or s10) with
# every assertion of the suite: data back within 60 s of the network returning each time and at most one
# radio reset per outage; after each kill the quota counters, the binding, the policy, the audit chain and the
# queued events intact. The figures are printed and kept in itests/target/site-figures.txt, each round as it
# ends in itests/target/site-progress.txt; the log is target/soak-site-<what>.log. Needs what
# './sitegate test' installs, and a build (mvn install -DskipTests).
#
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "site-soak.sh: needs root (network namespaces)" >&2; exit 2; }
what=${1:-}
seed=${SEED:-$(date +%s)}
case "$what" in
    outages)
        n=${2:-50} min=${3:-10} max=${4:-600} dist=${5:-log}
        case "$dist" in log) spec=$n:$min:$max:log ;; uniform) spec=$n:$min:$max ;; *) sed -n '5,10p' "$0" >&2; exit 2 ;; esac
        props="-Dsitegate.site.outages=$spec"
        methods='SiteIT#s01*+s02*+s09*'
        ;;
    power)
        n=${2:-50}
        props="-Dsitegate.site.kills=$n"
        methods='SiteIT#s01*+s02*+s10*'
        ;;
    *) sed -n '5,10p' "$0" >&2; exit 2 ;;
esac
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
mkdir -p "$root/target"
log="$root/target/soak-site-$what.log"
prefix=${SITE_PREFIX:-soak}
echo "site-soak.sh: $what, $props, seed $seed, lab $prefix; log $log, rounds in itests/target/site-progress.txt"
rm -f "$root/itests/target/site-progress.txt"
cd "$root/itests"
set +e
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} verify -Dit.test="$methods" $props -Dsitegate.site.seed="$seed" -Dsitegate.site.prefix="$prefix" \
    >"$log" 2>&1
rc=$?
set -e
grep -E "Tests run:|FAIL" "$log" | grep -v "^\[INFO\] Tests run: .*, Failures: 0, Errors: 0, Skipped: 0$" || true
cat "$root/itests/target/site-figures.txt" 2>/dev/null || true
exit $rc
