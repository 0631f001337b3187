#!/usr/bin/env bash
# What a modem that refuses costs the gateway: the modem keeper against a simulated Quectel EC25 that answers
# ATE0 with +CME ERROR: 3, shipped back-off (2 s doubling to 300 s), for SECONDS (default 60).
# Prints AT commands per second sent to the modem and the JVM's CPU. Usage: tools/bench/modem-refusing.sh [seconds] [fault]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
SECONDS_RUN=${1:-60}
FAULT=${2:-fault cme ATE0 3}
mvn -B -q -o install -DskipTests -pl bundles/core,tools/modem-sim >/dev/null
mvn -B -o test -pl bundles/modem -Dtest=RefusingModemBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsitegate.bench=true -Dsitegate.bench.seconds="$SECONDS_RUN" -Dsitegate.bench.fault="$FAULT" 2>&1 \
    | grep -E '^refusing modem' || { echo "benchmark failed" >&2; exit 1; }
