# shellcheck shell=bash
# The demo site's settings, written by ./sitegate run and by tools/bench/boot.sh --configured (the boot benchmark
# measures the gateway configured as the demo): the simulated modem, the cellular policy, the DNS forwarder and
# its dnsmasq upstream, the policy agent with its local mosquitto and demo key. Addresses and ports are
# arguments (the demo uses fixed ones, the benchmark free ones); everything else is the demo's.
# Sourced; the *_exec functions exec the program, so 'demo_..._exec ... &' leaves the program's pid in $!.

DEMO_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEMO_SIM_JAR="$DEMO_HOME/tools/modem-sim/target/sitegate-modem-sim.jar"
DEMO_SIM_SCENARIO="$DEMO_HOME/tools/modem-sim/scenarios/demo.scenario"
DEMO_CTL="$DEMO_HOME/tools/sitegate-ctl/sitegate-ctl"
# A name the demo upstream knows (and the forwarder does not block).
DEMO_DNS_NAME=www.demo.test
DEMO_DNS_ADDR=192.0.2.10

# demo_sim_exec <link> <journal> [more simulator options]: the simulated Quectel EC25 of the demo scenario on
# one end of a socat pty pair; the gateway opens <link>.
demo_sim_exec() {
    local link=$1 journal=$2
    shift 2
    exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$DEMO_SIM_JAR" --socat "$link" --vendor quectel-ec25 --script "$DEMO_SIM_SCENARIO" \
        --journal "$journal" "$@"
}

# demo_modem_cfg <dist> <link>: the gateway's modem wan0 on the simulator's pty.
demo_modem_cfg() {
    cat > "$1/etc/io.sitegate.modem-wan0.cfg" <<CFG
# The demo modem (./sitegate run): a simulated Quectel EC25 on a socat pty.
port = $2
apn = internet.demo
# A SIM PIN or APN password is never written here: put it in etc/secrets/<name> (owned by the
# gateway's user, mode 0600) and name the file, e.g. pinSecret = sim-wan0, apnPasswordSecret = apn-wan0.
CFG
}

# demo_cellular_cfg <dist>: the SIM binds to the modem at the first session, data only on the home network,
# 5 MB a month then blocked (the simulated traffic reaches it in about twenty minutes).
demo_cellular_cfg() {
    cat > "$1/etc/io.sitegate.cellular.cfg" <<CFG
# The demo policy (./sitegate run); the shipped, permissive defaults are documented in the README.
binding.mode = auto
networks.allowed = 26201
quota.data.bytes = 5MB
quota.action = block
quota.thresholds = 50,80,100
quota.checkSeconds = 10
CFG
}

# demo_hosts <file>: the names the demo upstream knows.
demo_hosts() {
    cat > "$1" <<HOSTS
192.0.2.10 www.demo.test
192.0.2.11 plc.demo.test
192.0.2.66 ads.demo.test
HOSTS
}

# demo_dnsmasq_exec <hosts file> <address> <port> <pid file> <log file>: the demo upstream, in the foreground
# (-k: a child of the caller, so it ends with it); it asks this machine's own resolvers for other names.
demo_dnsmasq_exec() {
    exec dnsmasq -k --no-hosts --addn-hosts="$1" --local-ttl=300 --listen-address="$2" --port="$3" \
        --bind-interfaces --pid-file="$4" --log-facility="$5"
}

# demo_dns_cfg <dist> <listen host> <listen port> <upstream host> <upstream port>: the forwarder, one demo deny rule.
demo_dns_cfg() {
    cat > "$1/etc/io.sitegate.dns.cfg" <<CFG
# The demo DNS (./sitegate run): try  dig @$2 -p $3 www.demo.test  and  ... ads.demo.test (blocked).
# The shipped defaults (LAN bridge, DNS over TLS upstreams) are documented in the README.
listen = $2:$3
upstreams = udp://$4:$5
firewall.deny = ads.demo.test
log.querySample = 0
CFG
}

# demo_mosquitto_conf <file> <port>: the demo broker, loopback only.
demo_mosquitto_conf() {
    cat > "$1" <<CONF
# The demo broker (./sitegate run): loopback only, no persistence.
listener $2 127.0.0.1
allow_anonymous true
persistence false
CONF
}

# demo_policy_key <key dir> <dist>: the demo signing key (made once), trusted by this gateway only.
demo_policy_key() {
    mkdir -p "$1" "$2/etc/policy-keys"
    if [ ! -f "$1/demo.key" ]; then
        "$DEMO_CTL" keygen --kid demo --out "$1" >/dev/null
    fi
    cp "$1/demo.pem" "$2/etc/policy-keys/demo.pem"
}

# demo_policy_cfg <dist> <broker port>: the agent on the local broker over plain TCP (loopback only), group 'demo'.
demo_policy_cfg() {
    cat > "$1/etc/io.sitegate.policy.cfg" <<CFG
# The demo policy agent (./sitegate run): the local broker over plain TCP (loopback only), group 'demo',
# the demo key in etc/policy-keys/demo.pem. A real gateway uses ssl:// with a client certificate (README).
broker = tcp://127.0.0.1:$2
allowPlainTcp = true
groups = demo
confirmWindow = 30
CFG
}
