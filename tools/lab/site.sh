#!/usr/bin/env bash
#
# The whole site in network namespaces: a LAN client, the gateway (the built distribution, with the
# simulated modem on a pty), the "cellular" transit, and the cloud (strongSwan responder, OpenVPN primary
# and backup in two regions, mosquitto with mutual TLS, a private DNS server reachable only through the
# tunnel, application servers). The end-to-end tests (itests SiteIT) and `./sitegate lab` use it.
#
#   site.sh up <prefix> <dir> [--no-gateway]   build the lab, configure the gateway in <dir>/gw, start it
#   site.sh down <prefix> <dir>                stop the gateway and everything else; always complete
#   site.sh status <prefix> <dir>              namespaces, daemons, the gateway, the modem's data path
#   site.sh gateway <prefix> <dir> start|stop|kill   the gateway in the gw namespace (kill: kill -9)
#   site.sh ssh <prefix> <dir> ['<shell command>']   the gateway's shell as the lab's admin operator
#   site.sh sim <prefix> <dir> '<line>'        a line to the modem simulator's control port (e.g. 'set reg 0')
#   site.sh vpn <prefix> <dir> stop|start vpnN  kill -9 an OpenVPN server / start it again (vpn1 is the primary)
#   site.sh ctl <prefix> <dir> <args...>       sitegate-ctl in the cloud namespace, on the lab's broker
#   site.sh publish <prefix> <dir> <policy.json>   sign it with the lab's key and publish it to the group "site"
#                                              (up writes <dir>/policy-example.json, the policy SiteIT applies)
#   site.sh exec <prefix> <dir> lan|gw|cloud|wan <command...>   a command in one of the namespaces
#
# <prefix>: 1-6 of [a-z0-9]; <dir>: an absolute directory; <dir>/site.env lists every name a test needs.
#
# Topology (on top of tools/lab/tunnels.sh, whose addresses it keeps):
#   lan 10.77.1.2 --- lan0 10.77.1.1 [gw: Sitegate] wan0 198.18.0.1 --- "cellular" --- wan br0
#        wan: public DNS 198.18.0.53 (dnsmasq), OpenVPN vpn1 .11 (eu), vpn2 .12 (eu, backup), vpn3 .13 (na),
#             IKEv2 responder .20
#        cloud br0: mosquitto 10.99.0.10:8883 (mutual TLS), app server 10.99.0.10:7 (app.corp.example),
#             another server 10.99.0.30:7 (db.corp.example), private DNS 10.99.0.53 (corp.example),
#             SSH client side for access windows; routes to the tunnels' client subnets via the VPN servers.
#   The modem simulator's data hook sets the wan end of the gateway's link up while the modem has a data path
#   (registered, PDP context active) and down otherwise: no data session, no packets, as with a real modem.
#
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TUNNELS=$HERE/tunnels.sh
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA=$JAVA_HOME/bin/java
SIM_JAR=${SITEGATE_MODEMSIM_JAR:-$ROOT/tools/modem-sim/target/sitegate-modem-sim.jar}
CTL_JAR=${SITEGATE_CTL_JAR:-$ROOT/tools/sitegate-ctl/target/sitegate-ctl.jar}

die() { echo "site.sh: $*" >&2; exit 1; }
log() { echo "site.sh: $*" >&2; }

usage() {
    sed -n '8,19p' "$0" >&2
    exit 2
}

[ $# -ge 3 ] || usage
CMD=$1 P=$2 DIR=$3
shift 3
[[ "$P" =~ ^[a-z0-9]{1,6}$ ]] || die "prefix '$P': 1-6 characters of [a-z0-9]"
[[ "$DIR" == /* ]] || die "dir '$DIR' must be an absolute path"

NS_LAN=$P-lan NS_GW=$P-gw NS_WAN=$P-wan NS_CLOUD=$P-cloud
GW_DIR=$DIR/gw
SSH_PORT=8101
SIM_PORT_FILE=$DIR/sim.port

# shellcheck source=lib.sh
. "$HERE/lib.sh"

gw_home() {
    local h
    h=$(ls -d "$GW_DIR"/sitegate-karaf-* 2>/dev/null | head -1)
    [ -n "$h" ] || die "no gateway in $GW_DIR (site.sh up first)"
    echo "$h"
}

# ---------------------------------------------------------------- PKI for the broker (the lab CA of tunnels.sh)

cert() { # name cn ext-lines
    local name=$1 cn=$2 ext=$DIR/pki/$1.ext
    printf '%b' "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyAgreement\n$3" >"$ext"
    # PKCS#8, which the gateway's MQTT link reads (PemTls)
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/pki/$name.key" 2>/dev/null
    chmod 600 "$DIR/pki/$name.key"
    openssl req -new -key "$DIR/pki/$name.key" -subj "/O=Sitegate Lab/CN=$cn" -out "$DIR/pki/$name.csr" 2>/dev/null
    openssl x509 -req -in "$DIR/pki/$name.csr" -CA "$DIR/pki/ca.crt" -CAkey "$DIR/pki/ca.key" -CAcreateserial \
        -days 30 -sha256 -extfile "$ext" -out "$DIR/pki/$name.crt" 2>/dev/null
    rm -f "$DIR/pki/$name.csr" "$ext" "$DIR/pki/ca.srl"
}

# ---------------------------------------------------------------- cloud and wan services

start_cloud() {
    ip -n "$NS_CLOUD" addr add 10.99.0.30/24 dev br0
    ip -n "$NS_CLOUD" addr add 10.99.0.53/24 dev br0
    local n
    for n in 1 2 3; do # the tunnels' client subnets, back through their servers (no NAT on the way in)
        ip -n "$NS_CLOUD" route add "10.8.$n.0/24" via "10.99.0.1$n"
    done
    # the gateway's LAN address through the primary tunnel (the shell, in an access window)
    ip -n "$NS_CLOUD" route add 10.77.1.1/32 via 10.99.0.11
    spawn cloud-db ip netns exec "$NS_CLOUD" socat TCP-LISTEN:7,bind=10.99.0.30,fork,reuseaddr EXEC:cat
    # the private zone: answered only here, reachable only through a tunnel
    spawn private-dns ip netns exec "$NS_CLOUD" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
        --listen-address=10.99.0.53 --bind-interfaces --pid-file= --user=root --local-ttl=30 \
        --host-record=app.corp.example,10.99.0.10 --host-record=db.corp.example,10.99.0.30 \
        --host-record=broker.corp.example,10.99.0.10 --local=/corp.example/ --log-queries \
        --log-facility="$DIR/logs/private-dns-queries.log"
    # the broker: mutual TLS, the gateway's certificate CN is its id (ACL %u), the operator's reads everything
    cert mqtt 10.99.0.10 "subjectAltName = IP:10.99.0.10, DNS:broker.corp.example\nextendedKeyUsage = serverAuth\n"
    cert gw-mqtt gw1 "extendedKeyUsage = clientAuth\n"
    cert operator operator "extendedKeyUsage = clientAuth\n"
    cat >"$DIR/mosquitto.acl" <<EOF
user operator
topic readwrite sitegate/#
topic readwrite \$share/#

pattern readwrite sitegate/%u/#
pattern read sitegate/group/#
EOF
    cat >"$DIR/mosquitto.conf" <<EOF
# written by tools/lab/site.sh
user root
per_listener_settings true
persistence true
persistence_location $DIR/mosquitto/
listener 8883 10.99.0.10
cafile $DIR/pki/ca.crt
certfile $DIR/pki/mqtt.crt
keyfile $DIR/pki/mqtt.key
require_certificate true
use_identity_as_username true
acl_file $DIR/mosquitto.acl
EOF
    mkdir -p "$DIR/mosquitto"
    spawn mosquitto ip netns exec "$NS_CLOUD" mosquitto -c "$DIR/mosquitto.conf"
    wait_for "mosquitto on 10.99.0.10:8883" 10 sh -c "ip netns exec '$NS_CLOUD' ss -Hnlt 'sport = :8883' | grep -q 10.99.0.10"
    wait_for "db server on 10.99.0.30:7" 10 sh -c "ip netns exec '$NS_CLOUD' ss -Hnlt 'sport = :7' | grep -q 10.99.0.30"
}

start_wan() {
    ip -n "$NS_WAN" addr add 198.18.0.53/24 dev br0
    # the public DNS the operator's network offers (the gateway's default upstream)
    spawn public-dns ip netns exec "$NS_WAN" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
        --listen-address=198.18.0.53 --bind-interfaces --pid-file= --user=root --local-ttl=60 \
        --host-record=www.example.com,198.18.0.80 --host-record=ads.example.net,198.18.0.81 \
        --host-record=tracker.example.net,198.18.0.82 --address=/public.test/198.18.0.83
    wait_for "public DNS on 198.18.0.53" 10 sh -c "ip netns exec '$NS_WAN' ss -Hnlu 'sport = :53' | grep -q 198.18.0.53"
}

# ---------------------------------------------------------------- the modem simulator

start_sim() {
    [ -f "$SIM_JAR" ] || die "modem simulator jar missing: $SIM_JAR (mvn install -DskipTests)"
    cat >"$DIR/data-hook" <<EOF
#!/bin/sh
# the simulator runs this with up|down when the modem's data path opens or closes
exec ip -n $NS_WAN link set gw "\$1"
EOF
    chmod 755 "$DIR/data-hook"
    # the "cellular" link carries nothing until the simulated modem has a data session
    ip -n "$NS_WAN" link set gw down
    cat >"$DIR/modem.scenario" <<'EOF'
# tools/lab/site.sh: a Quectel EC25 with a SIM that registers on Telekom.de after two seconds
set sim present
set reg 2
set signal rssi=-71 rsrp=-95 rsrq=-10 sinr=12
set networks 26201="Telekom.de" 26202="Vodafone.de"
set apn-allowed internet.lab
set ip 10.64.12.7
after 2s set reg 1 act=7 tac=1A2B ci=01A2B3C4 oper=26201 name="Telekom.de"
EOF
    local port
    while :; do # a free port on 127.0.0.1
        port=$((20000 + RANDOM % 30000))
        [ -z "$(ss -Hlnt "sport = :$port")" ] && break
    done
    echo "$port" >"$SIM_PORT_FILE"
    # not a session leader itself (sh is): a session leader that opens a tty (the simulator's pty) makes it its
    # controlling terminal and gets SIGHUP when socat goes (a 'fault drop' unplugs the modem by stopping socat)
    spawn modem-sim sh -c '"$@"; exit $?' modem-sim "$JAVA" -jar "$SIM_JAR" --socat "$DIR/modem0" --vendor quectel-ec25 \
        --script "$DIR/modem.scenario" --control "$port" --journal "$DIR/modem.journal" --data-hook "$DIR/data-hook"
    wait_for "modem simulator (pty $DIR/modem0, control $port)" 20 sh -c "[ -e '$DIR/modem0' ] && ss -Hnlt 'sport = :$port' | grep -q 127.0.0.1"
}

sim_send() { # line -> the simulator's answer lines; exit 1 on 'error:'
    local port line out=""
    port=$(cat "$SIM_PORT_FILE" 2>/dev/null) || die "no modem simulator (site.sh up first)"
    exec 3<>"/dev/tcp/127.0.0.1/$port" || die "modem simulator not answering on $port"
    printf '%s\n' "$1" >&3
    while IFS= read -r -t 10 line <&3; do
        case "$line" in
            ok) exec 3>&-; printf '%s' "$out"; return 0 ;;
            error:*) exec 3>&-; printf '%s%s\n' "$out" "$line"; return 1 ;;
            *) out+="$line"$'\n' ;;
        esac
    done
    exec 3>&-
    die "modem simulator: no answer to '$1'"
}

# ---------------------------------------------------------------- the gateway

tunnel_cfg() { # etc name priority endpoints comment: an OpenVPN tunnel with the lab's certificates, probed every second
    local etc=$1
    cat >"$etc/io.sitegate.tunnel-$2.cfg" <<EOF
# tools/lab/site.sh: $5
type = openvpn
priority = $3
endpoints = $4
prefixes = 10.99.0.0/24
probe.address = 10.99.0.10
probe.interval = 1
probe.failures = 2
probe.successes = 2
failback.holdDown = 5
keepalive = 2
keepalive.timeout = 8
openvpn.ca = $etc/lab/ca.crt
openvpn.cert = $etc/lab/gw1.crt
openvpn.key = $etc/lab/gw1.key
EOF
}

configure_gateway() {
    local tarball
    tarball=${SITEGATE_DIST:-$(ls "$ROOT"/karaf-assembly/target/sitegate-karaf-*.tar.gz 2>/dev/null | head -1)}
    [ -f "$tarball" ] || die "no distribution (mvn install -DskipTests builds karaf-assembly/target/sitegate-karaf-*.tar.gz)"
    rm -rf "$GW_DIR"
    mkdir -p "$GW_DIR"
    tar xzf "$tarball" -C "$GW_DIR"
    local home etc
    home=$(gw_home)
    etc=$home/etc
    # the operator: an admin key for the lab, the shell on 8101 in the gw namespace
    rm -rf "$DIR/operator-key" "$DIR/operator-key.pub" "$DIR/policy-keys"
    ssh-keygen -q -t ed25519 -N '' -C sitegate-lab-operator -f "$DIR/operator-key"
    "$home/bin/sitegate-add-key" operator "$DIR/operator-key.pub" admin >/dev/null
    # the shell on the LAN address: reachable from the LAN, and from the cloud only through an access window
    sed -i 's/^sshHost = .*/sshHost = 10.77.1.1/' "$etc/org.apache.karaf.shell.cfg"
    # the policy signing key the cloud side signs with
    mkdir -p "$DIR/policy-keys" "$etc/policy-keys"
    "$JAVA" -jar "$CTL_JAR" keygen --kid lab --out "$DIR/policy-keys" >/dev/null
    cp "$DIR/policy-keys/lab.pem" "$etc/policy-keys/lab.pem"
    mkdir -p "$etc/lab"
    cp "$DIR/pki/ca.crt" "$DIR/pki/gw1.crt" "$DIR/pki/gw1.key" "$DIR/pki/gw-mqtt.crt" "$DIR/pki/gw-mqtt.key" "$etc/lab/"
    chmod 600 "$etc/lab/"*.key
    cat >"$etc/io.sitegate.gateway.cfg" <<EOF
# tools/lab/site.sh
id = gw1
site = lab
EOF
    cat >"$etc/io.sitegate.modem-wan0.cfg" <<EOF
# tools/lab/site.sh: the simulated Quectel EC25 on a socat pty
port = $DIR/modem0
apn = internet.lab
EOF
    cat >"$etc/io.sitegate.cellular.cfg" <<EOF
# tools/lab/site.sh: the SIM binds to the modem at its first session; one SMS per violation to the operator
binding.mode = auto
binding.alertNumber = +4915100000099
quota.checkSeconds = 5
EOF
    cat >"$etc/io.sitegate.dns.cfg" <<EOF
# tools/lab/site.sh: the LAN side only; the operator network's resolver
listen = lan0:53
wan.interfaces = wan0
upstreams = udp://198.18.0.53:53
firewall.mode = deny
log.blockSample = 1
EOF
    tunnel_cfg "$etc" primary 100 "eu:198.18.0.11, na:198.18.0.13" \
        "OpenVPN, Frankfurt (eu) with a North American endpoint for a modem roaming there"
    tunnel_cfg "$etc" backup 50 "eu:198.18.0.12" "OpenVPN, the backup region's server"
    cat >"$etc/io.sitegate.policy.cfg" <<EOF
# tools/lab/site.sh: the cloud's broker, reachable only through a tunnel
broker = ssl://10.99.0.10:8883
tls.ca = $etc/lab/ca.crt
tls.cert = $etc/lab/gw-mqtt.crt
tls.key = $etc/lab/gw-mqtt.key
groups = site
confirmWindow = ${SITE_CONFIRM_WINDOW:-20}
EOF
    cat >"$etc/io.sitegate.filter.cfg" <<EOF
# tools/lab/site.sh: a deny list (nothing denied yet) until a policy says otherwise
default = allow
lan.interfaces = lan0
wan.interfaces = wan0
EOF
}

gateway_start() {
    local home
    home=$(gw_home)
    ip netns exec "$NS_GW" "$home/bin/sitegate-launch" start >>"$DIR/logs/gateway-launch.log" 2>&1 \
        || die "bin/sitegate-launch start failed: $(tail -5 "$DIR/logs/gateway-launch.log")"
    cp "$home/data/sitegate.pid" "$(pidfile gateway)"
    wait_for "the gateway's shell on $SSH_PORT" 120 gw_ssh "sitegate:status"
}

gateway_pid() {
    local home
    home=$(gw_home)
    [ -f "$home/data/sitegate.pid" ] && cat "$home/data/sitegate.pid"
}

gateway_stop() {
    local home pid
    home=$(gw_home)
    pid=$(gateway_pid) || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    ip netns exec "$NS_GW" "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

gateway_kill() {
    local pid
    pid=$(gateway_pid) || die "no gateway pid"
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    die "gateway $pid still there after kill -9"
}

gw_ssh() { # command (empty: interactive)
    local tty=-T
    [ $# -eq 0 ] && tty=-t
    ip netns exec "$NS_GW" ssh $tty -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o ConnectTimeout=5 -o LogLevel=ERROR -o IdentitiesOnly=yes -i "$DIR/operator-key" operator@10.77.1.1 "$@"
}

ctl() {
    [ -f "$CTL_JAR" ] || die "sitegate-ctl jar missing: $CTL_JAR"
    local sub=$1
    shift
    case "$sub" in
        keygen|sign|verify) exec "$JAVA" -jar "$CTL_JAR" "$sub" "$@" ;;
    esac
    exec ip netns exec "$NS_CLOUD" "$JAVA" -jar "$CTL_JAR" "$sub" "$@" --broker ssl://10.99.0.10:8883 \
        --ca "$DIR/pki/ca.crt" --cert "$DIR/pki/operator.crt" --key "$DIR/pki/operator.key"
}

# The site's group policy, as SiteIT's second scenario publishes it: private DNS through the tunnel, a DNS deny
# list, an outbound allow list by name (plus the gateway's own endpoints, which an allow list must name: broker,
# public DNS, the OpenVPN servers), a 50 MB quota with warnings, LTE then UMTS. Edit it, raise "version", publish.
write_policy_example() {
    local issued expires
    issued=$(date -u -d '-60 sec' +%Y-%m-%dT%H:%M:%SZ)
    expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
    cat >"$DIR/policy-example.json" <<EOF
{
  "version": 1,
  "issuedAt": "$issued",
  "expiresAt": "$expires",
  "target": "group:site",
  "sections": {
    "cellular": {
      "binding.mode": "auto", "binding.alertNumber": "+4915100000099", "rat.allowed": ["lte", "umts"],
      "quota.data.bytes": "50MB", "quota.thresholds": ["50", "80", "100"], "quota.action": "block", "quota.checkSeconds": 5
    },
    "dns": {
      "listen": "lan0:53", "wan.interfaces": "wan0", "upstreams": "udp://198.18.0.53:53",
      "private.upstreams": "udp://10.99.0.53:53", "private.tunnel": "tunnels", "forward.corp.example": "private",
      "firewall.deny": ["ads.example.net", "tracker.example.net"]
    },
    "filter": {
      "default": "deny",
      "allow": ["app.corp.example tcp/7", "10.99.0.10 tcp/8883", "198.18.0.53 udp/53",
                "198.18.0.11 udp/1194", "198.18.0.12 udp/1194", "198.18.0.13 udp/1194"],
      "lan.interfaces": "lan0", "wan.interfaces": "wan0"
    }
  }
}
EOF
}

publish() {
    local json=${1:-} jws
    [ -f "$json" ] || die "publish: no policy document '$json' (the lab writes $DIR/policy-example.json)"
    jws="$DIR/$(basename "${json%.json}").jws"
    "$JAVA" -jar "$CTL_JAR" sign --key "$DIR/policy-keys/lab.key" --kid lab "$json" --out "$jws" >/dev/null \
        || die "publish: $json not signed (sitegate-ctl sign says why above)"
    ctl publish --group site "$jws"
}

write_env() {
    cat "$DIR/lab.env" >"$DIR/site.env"
    cat >>"$DIR/site.env" <<EOF
SITE_SCRIPT=$HERE/site.sh
GW_HOME=$(gw_home 2>/dev/null || true)
GW_ID=gw1
GW_GROUP=site
SSH_PORT=$SSH_PORT
OPERATOR_KEY=$DIR/operator-key
POLICY_KEY=$DIR/policy-keys/lab.key
POLICY_KID=lab
BROKER=ssl://10.99.0.10:8883
BROKER_CA=$DIR/pki/ca.crt
OPERATOR_CERT=$DIR/pki/operator.crt
OPERATOR_CERT_KEY=$DIR/pki/operator.key
PUBLIC_DNS=198.18.0.53
PRIVATE_DNS=10.99.0.53
APP_HOST=10.99.0.10
APP_NAME=app.corp.example
DB_HOST=10.99.0.30
DB_NAME=db.corp.example
APP_PORT=7
SIM_PORT=$(cat "$SIM_PORT_FILE")
SIM_JOURNAL=$DIR/modem.journal
ALERT_NUMBER=+4915100000099
EOF
}

up() {
    local gateway=yes
    [ "${1:-}" = "--no-gateway" ] && gateway=no
    command -v mosquitto >/dev/null || die "mosquitto missing (apt-get install mosquitto)"
    command -v dnsmasq >/dev/null || die "dnsmasq missing (apt-get install dnsmasq-base)"
    [ -f "$CTL_JAR" ] || die "sitegate-ctl jar missing: $CTL_JAR (mvn install -DskipTests)"
    "$TUNNELS" up "$P" "$DIR"
    trap 'rc=$?; if [ $rc -ne 0 ]; then log "up failed (exit $rc); tearing down"; down; fi' EXIT
    # the tunnel lab's NAT on the OpenVPN servers stays for traffic the LAN starts; the cloud reaches the
    # gateway's tunnel address back through them (access windows)
    start_wan
    start_cloud
    start_sim
    configure_gateway
    write_env
    write_policy_example
    if [ $gateway = yes ]; then
        gateway_start
    fi
    trap - EXIT
    log "site $P up in $DIR (names in $DIR/site.env); the gateway's shell: $0 ssh $P $DIR"
}

down() {
    if [ -d "$GW_DIR" ]; then
        gateway_stop 2>/dev/null || true
    fi
    local pid
    pid=$(cat "$(pidfile modem-sim)" 2>/dev/null || true)
    # the simulator is a session leader (setsid): its socat goes with it
    [ -n "$pid" ] && kill -9 -- "-$pid" 2>/dev/null || true
    "$TUNNELS" down "$P" "$DIR" || true
    rm -f "$SIM_PORT_FILE" 2>/dev/null || true
    return 0
}

status() {
    "$TUNNELS" status "$P" "$DIR" || true
    local name pid
    for name in public-dns private-dns mosquitto cloud-db modem-sim; do
        if alive "$name"; then echo "  $name: running (pid $(cat "$(pidfile "$name")"))"; else echo "  $name: not running"; fi
    done
    pid=$(gateway_pid 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "gateway: running (pid $pid), shell: $0 ssh $P $DIR"
    else
        echo "gateway: not running"
    fi
    if [ -f "$SIM_PORT_FILE" ]; then
        echo "modem data path: $(sim_send 'data?' 2>/dev/null | sed 's/^data: //' | head -1)"
    fi
}

case "$CMD" in
    up) up "$@" ;;
    down) down ;;
    status) status ;;
    gateway)
        [ $# -ge 1 ] || usage
        case "$1" in
            start) gateway_start ;;
            stop) gateway_stop ;;
            kill) gateway_kill ;;
            *) usage ;;
        esac ;;
    ssh) gw_ssh "$@" ;;
    sim) [ $# -eq 1 ] || usage; sim_send "$1" ;;
    vpn)
        [ $# -eq 2 ] || usage
        case "$1" in stop|start) exec "$TUNNELS" "$1-vpn" "$P" "$DIR" "$2" ;; *) usage ;; esac ;;
    ctl) [ $# -ge 1 ] || usage; ctl "$@" ;;
    publish) [ $# -eq 1 ] || usage; publish "$1" ;;
    exec)
        [ $# -ge 2 ] || usage
        ns=$1
        shift
        case "$ns" in lan|gw|cloud|wan) exec ip netns exec "$P-$ns" "$@" ;; *) usage ;; esac ;;
    *) usage ;;
esac
