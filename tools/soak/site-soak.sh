#!/usr/bin/env bash
#
# Soak runs of the whole site (issue 21): the SiteIT scenarios with long parameters, on the lab of
# tools/lab/site.sh (root). The suite runs 5 outages of 5-30 s and 10 kills; the soak runs
#
#   tools/soak/site-soak.sh outages [N] [MIN_S] [MAX_S]   N cellular outages of MIN..MAX s (default 50, 10, 600)
#   tools/soak/site-soak.sh power [N]                     N kill -9 of the gateway during traffic and policy
#                                                         applies (default 50)
#   options through the environment: SEED (reproduce a draw), MVN_ARGS (e.g. -o)
#
# Each runs the cold boot and the group policy first (s01, s02), then the one scenario (s09 or s10) with
# every assertion of the suite: data back within 60 s of the network returning each time and at most one
# radio reset per outage; after each kill the quota counters, the binding, the policy, the audit chain and the
# queued events intact. The figures are printed and kept in itests/target/site-figures.txt; the log is
# target/soak-site-<what>.log. Needs what './sitegate test' installs, and a build (mvn install -DskipTests).
#
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "site-soak.sh: needs root (network namespaces)" >&2; exit 2; }
what=${1:-}
seed=${SEED:-$(date +%s)}
case "$what" in
    outages)
        n=${2:-50} min=${3:-10} max=${4:-600}
        props="-Dsitegate.site.outages=$n:$min:$max"
        methods='SiteIT#s01*+s02*+s09*'
        ;;
    power)
        n=${2:-50}
        props="-Dsitegate.site.kills=$n"
        methods='SiteIT#s01*+s02*+s10*'
        ;;
    *) sed -n '5,9p' "$0" >&2; exit 2 ;;
esac
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
mkdir -p "$root/target"
log="$root/target/soak-site-$what.log"
echo "site-soak.sh: $what, $props, seed $seed; log $log"
cd "$root/itests"
set +e
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} verify -Dit.test="$methods" $props -Dsitegate.site.seed="$seed" \
    >"$log" 2>&1
rc=$?
set -e
grep -E "SiteIT: |Tests run:|FAIL" "$log" | grep -v "^\[INFO\] Tests run: .*, Failures: 0, Errors: 0, Skipped: 0$" || true
exit $rc
