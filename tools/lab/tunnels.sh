#!/usr/bin/env bash
#
# The tunnel lab: network namespaces with a gateway, a LAN client, three OpenVPN servers, an IKEv2
# responder and a cloud host, for the tunnel integration tests (bundles/tunnel, *IT) and the failover
# benchmark. Everything lives in namespaces named <prefix>-*; nothing touches the root namespace.
#
#   tunnels.sh up <prefix> <dir>                  build the lab, start every daemon, wait until ready
#   tunnels.sh down <prefix> <dir>                kill what it started, delete <prefix>-*; always exits 0
#   tunnels.sh stop-vpn <prefix> <dir> vpnN       kill -9 one OpenVPN server (a VPN gateway dying)
#   tunnels.sh start-vpn <prefix> <dir> vpnN      start it again (returns when it listens)
#   tunnels.sh restart-gw-charon <prefix> <dir>   kill -9 the gateway's charon if it runs, start it again
#                                                 (returns when its VICI socket answers)
#   tunnels.sh status <prefix> <dir>              namespaces, daemons, SAs
#
# <prefix>: 1-6 of [a-z0-9]; <dir>: an absolute directory (created if missing) for the PKI, configs,
# logs (<dir>/logs), pids (<dir>/pids) and <dir>/lab.env, which lists every name a test needs.
#
# Topology:
#   lan  10.77.1.2/24 --- 10.77.1.1 gw 198.18.0.1 ---[br0 in wan]--- vpn1 .11, vpn2 .12, vpn3 .13, ike .20
#   cloud host 10.99.0.10 (br0 in cloud) --- vpn1 .11, vpn2 .12, vpn3 .13, ike .20
#   gw: charon initiator (kernel-libipsec, install_routes = no, initiator_only = yes), no connection loaded,
#       no route to the cloud: the test (Sitegate) loads connections over VICI and adds the routes.
#   ike: charon responder (kernel-libipsec) with a PSK and a certificate connection (swanctl).
#   vpnN: OpenVPN 2.6 server, udp 198.18.0.1N:1194, subnet 10.8.N.0/24, iroute 10.77.1.0/24 for CN gw1,
#         masquerading what leaves towards the cloud.
#   cloud: TCP echo on 10.99.0.10:7 (socat), route 10.77.1.0/24 via the IKE responder 10.99.0.20.
#
set -euo pipefail

CHARON=/usr/lib/ipsec/charon
LIBIPSEC_PLUGIN=/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so

die() { echo "tunnels.sh: $*" >&2; exit 1; }
log() { echo "tunnels.sh: $*" >&2; }

usage() {
    sed -n '7,14p' "$0" >&2
    exit 2
}

[ $# -ge 3 ] || usage
CMD=$1 P=$2 DIR=$3
[[ "$P" =~ ^[a-z0-9]{1,6}$ ]] || die "prefix '$P': 1-6 characters of [a-z0-9]"
[[ "$DIR" == /* ]] || die "dir '$DIR' must be an absolute path"
case "$DIR" in /run|/run/*|/var/run|/var/run/*) die "dir '$DIR' must not be under /run (each charon gets its own /run)";; esac

NS_LAN=$P-lan NS_GW=$P-gw NS_WAN=$P-wan NS_IKE=$P-ike NS_CLOUD=$P-cloud
VPNS="vpn1 vpn2 vpn3"
GW_VICI=$DIR/gw-charon.vici
IKE_VICI=$DIR/ike-charon.vici
PKI=$DIR/pki

vpn_n() { echo "${1#vpn}"; }

# ---------------------------------------------------------------- helpers

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

veth() { # nsA ifA nsB ifB
    ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
    ip -n "$1" link set "$2" up
    ip -n "$3" link set "$4" up
}

newns() { # name
    ip netns add "$1"
    ip -n "$1" link set lo up
    # rp_filter off: tunnels carry LAN sources in on devices the reverse path does not point at
    ip netns exec "$1" sysctl -qw net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.rp_filter=0
}

# ---------------------------------------------------------------- PKI (EC P-256, openssl)

pki_cert() { # name subject-cn san-or-empty eku
    local name=$1 cn=$2 san=$3 eku=$4 ext
    ext=$PKI/$name.ext
    {
        echo "basicConstraints = critical, CA:FALSE"
        echo "keyUsage = critical, digitalSignature, keyAgreement"
        echo "extendedKeyUsage = $eku"
        [ -n "$san" ] && echo "subjectAltName = DNS:$san"
    } >"$ext"
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key" 2>/dev/null
    chmod 600 "$PKI/$name.key"
    openssl req -new -key "$PKI/$name.key" -subj "/O=Sitegate Lab/CN=$cn" -out "$PKI/$name.csr" 2>/dev/null
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
        -days 30 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
    rm -f "$PKI/$name.csr" "$ext"
}

make_pki() {
    rm -rf "$PKI"
    mkdir -p "$PKI"
    chmod 700 "$PKI"
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/ca.key" 2>/dev/null
    chmod 600 "$PKI/ca.key"
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/O=Sitegate Lab/CN=Sitegate Lab CA $P" -days 30 -sha256 \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$PKI/ca.crt" 2>/dev/null
    pki_cert gw1 gw1 "" clientAuth
    pki_cert gw1-cert gw1-cert.site.test gw1-cert.site.test "clientAuth, serverAuth"
    for v in $VPNS; do
        pki_cert "$v" "$v.cloud.test" "$v.cloud.test" serverAuth
    done
    pki_cert ike ike.cloud.test ike.cloud.test "serverAuth, clientAuth"
    rm -f "$PKI/ca.srl"
    # a random PSK, 32 bytes as 64 hex characters
    (umask 077 && openssl rand -hex 32 | tr -d '\n' >"$DIR/psk")
    chmod 600 "$DIR/psk"
}

# ---------------------------------------------------------------- charon

# strongswan.conf for one charon. Option names: strongSwan conf/options/charon.opt,
# conf/plugins/kernel-libipsec.opt, conf/plugins/vici.opt (3b902ea59b; the installed 5.9.8 has them all).
# The plugin list is explicit (load_modular = no, charon.load): Debian's /etc/strongswan.d enables plugins
# (ha, farp, dhcp, bypass-lan, ...) that have no place in a lab charon.
charon_conf() { # name vici-path role(initiator|responder)
    local name=$1 vici=$2 role=$3
    cat >"$DIR/$name.conf" <<EOF
# written by tools/lab/tunnels.sh
charon {
    load_modular = no
    load = random nonce openssl pem pkcs1 pkcs8 x509 revocation constraints pubkey gmp aes sha1 sha2 hmac gcm kdf drbg kernel-libipsec kernel-netlink socket-default vici
$(if [ "$role" = initiator ]; then cat <<EOI
    # Sitegate owns the routes: charon.opt "install_routes: Install routes into a separate routing table
    # for established IPsec tunnels" (default yes)
    install_routes = no
    # charon.opt "initiator_only: Causes charon daemon to ignore IKE initiation requests": no IKE_SA
    # initiated from the WAN is accepted, whatever connection is loaded
    initiator_only = yes
EOI
fi)
    # no retransmission storms while a peer is gone in a test
    retransmit_tries = 3
    retransmit_timeout = 1.0
    retransmit_base = 1.4
    plugins {
        # userspace ESP over a TUN device (ipsec0): this kernel has no XFRM
        kernel-libipsec {
            load = yes
        }
        vici {
            socket = unix://$vici
        }
    }
    filelog {
        lab {
            path = $DIR/logs/$name-charon.log
            time_format = %H:%M:%S
            default = 1
            ike = 2
            net = 1
            flush_line = yes
        }
    }
    syslog {
        daemon {
            default = -1
        }
    }
}
EOF
}

start_charon() { # name ns vici
    local name=$1 ns=$2 vici=$3
    rm -f "$vici"
    # one charon per namespace, each with its own /run (pid file, starter socket): DESIGN.md
    spawn "$name-charon" ip netns exec "$ns" unshare -m --propagation private sh -c \
        "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$DIR/$name.conf $CHARON"
    wait_for "charon in $ns (VICI $vici)" 10 swanctl --stats --uri "unix://$vici"
}

responder_swanctl() {
    local d=$DIR/ike-swanctl
    rm -rf "$d"
    mkdir -p "$d/x509" "$d/x509ca" "$d/ecdsa"
    chmod 700 "$d"
    cp "$PKI/ca.crt" "$d/x509ca/ca.crt"
    cp "$PKI/ike.crt" "$d/x509/ike.crt"
    cp "$PKI/ike.key" "$d/ecdsa/ike.key"
    chmod 600 "$d/ecdsa/ike.key"
    # key names: strongSwan src/swanctl/swanctl.opt
    cat >"$d/swanctl.conf" <<EOF
# written by tools/lab/tunnels.sh: the IKE responder in the cloud
connections {
    psk {
        version = 2
        local_addrs = 198.18.0.20
        local {
            auth = psk
            id = ike.cloud.test
        }
        remote {
            auth = psk
            id = gw1.site.test
        }
        children {
            psk-child {
                local_ts = 10.99.0.0/24
                remote_ts = 10.77.1.0/24
            }
        }
    }
    cert {
        version = 2
        local_addrs = 198.18.0.20
        local {
            auth = pubkey
            certs = ike.crt
            id = ike.cloud.test
        }
        remote {
            auth = pubkey
            id = gw1-cert.site.test
        }
        children {
            cert-child {
                local_ts = 10.99.0.0/24
                remote_ts = 10.77.1.0/24
            }
        }
    }
}
secrets {
    ike-gw1 {
        id-1 = ike.cloud.test
        id-2 = gw1.site.test
        # the PSK is the file's text (64 hex characters), as the initiator sends the file's bytes
        secret = "$(cat "$DIR/psk")"
    }
}
EOF
    chmod 600 "$d/swanctl.conf"
}

# ---------------------------------------------------------------- OpenVPN servers

vpn_conf() { # vpnN
    local v=$1 n
    n=$(vpn_n "$v")
    mkdir -p "$DIR/$v-ccd"
    # client-config-dir file named after the client's CN (server-options.rst, --client-config-dir)
    printf 'iroute 10.77.1.0 255.255.255.0\n' >"$DIR/$v-ccd/gw1"
    # directives: OpenVPN doc/man-sections/server-options.rst, tls-options.rst, link-options.rst
    cat >"$DIR/$v.conf" <<EOF
# written by tools/lab/tunnels.sh
local 198.18.0.1$n
port 1194
proto udp
dev tun
topology subnet
server 10.8.$n.0 255.255.255.0
route 10.77.1.0 255.255.255.0
client-config-dir $DIR/$v-ccd
ca $PKI/ca.crt
cert $PKI/$v.crt
key $PKI/$v.key
dh none
tls-server
# ping (not keepalive, which would push ping/ping-restart and override the client's own keepalive);
# LAB_SERVER_PING (default 1 s) lets a benchmark give the servers a deployment's interval
ping ${LAB_SERVER_PING:-1}
ping-restart 120
verb 3
EOF
}

start_vpn() { # vpnN
    local v=$1 n
    n=$(vpn_n "$v")
    kill_daemon "$v"
    spawn "$v" ip netns exec "$P-$v" openvpn --config "$DIR/$v.conf"
    wait_for "OpenVPN server $v (udp 198.18.0.1$n:1194)" 10 \
        sh -c "ip netns exec '$P-$v' ss -Hnlu 'sport = :1194' | grep -q '198.18.0.1$n:1194' && ip -n '$P-$v' link show tun0"
}

# ---------------------------------------------------------------- commands

down() {
    local ns pid
    if [ -d "$DIR/pids" ]; then
        for f in "$DIR"/pids/*.pid; do
            [ -f "$f" ] || continue
            pid=$(cat "$f" 2>/dev/null || true)
            [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
            rm -f "$f"
        done
    fi
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-" || true); do
        # anything else that runs in the lab's namespaces (an openvpn client a test started) goes too
        for pid in $(ip netns pids "$ns" 2>/dev/null || true); do
            kill -9 "$pid" 2>/dev/null || true
        done
    done
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$P-" || true); do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
            sleep 0.05
        done
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -f "$GW_VICI" "$IKE_VICI" 2>/dev/null || true
    return 0
}

check_prerequisites() {
    [ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
    local c missing=()
    for c in ip openssl openvpn swanctl socat nft unshare setsid ss sysctl mount; do
        command -v "$c" >/dev/null 2>&1 || missing+=("$c")
    done
    [ -x "$CHARON" ] || missing+=("$CHARON (strongswan-charon)")
    [ -f "$LIBIPSEC_PLUGIN" ] || missing+=("$LIBIPSEC_PLUGIN (libcharon-extra-plugins)")
    [ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins openvpn socat nftables iproute2 openssl)"
    [ -c /dev/net/tun ] || die "/dev/net/tun is missing (TUN devices for kernel-libipsec and OpenVPN)"
    if ip netns list | awk '{print $1}' | grep -q "^$P-"; then
        die "namespaces $P-* exist already: run 'tunnels.sh down $P $DIR' first (or use another prefix)"
    fi
}

write_env() {
    cat >"$DIR/lab.env" <<EOF
# written by tools/lab/tunnels.sh up $P $DIR
PREFIX=$P
LAB_DIR=$DIR
LAN_NS=$NS_LAN
GW_NS=$NS_GW
WAN_NS=$NS_WAN
IKE_NS=$NS_IKE
CLOUD_NS=$NS_CLOUD
VPN1_NS=$P-vpn1
VPN2_NS=$P-vpn2
VPN3_NS=$P-vpn3
LAN_CLIENT=10.77.1.2
LAN_PREFIX=10.77.1.0/24
GW_LAN_ADDR=10.77.1.1
GW_LAN_DEV=lan0
GW_WAN_ADDR=198.18.0.1
GW_WAN_DEV=wan0
CLOUD_HOST=10.99.0.10
CLOUD_PREFIX=10.99.0.0/24
CLOUD_ECHO_PORT=7
VPN1_ADDR=198.18.0.11
VPN2_ADDR=198.18.0.12
VPN3_ADDR=198.18.0.13
VPN_PORT=1194
VPN_PROTO=udp
VPN1_SUBNET=10.8.1.0/24
VPN2_SUBNET=10.8.2.0/24
VPN3_SUBNET=10.8.3.0/24
VPN1_NAME=vpn1.cloud.test
VPN2_NAME=vpn2.cloud.test
VPN3_NAME=vpn3.cloud.test
IKE_ADDR=198.18.0.20
IKE_CLOUD_ADDR=10.99.0.20
IKE_ID=ike.cloud.test
GW_PSK_ID=gw1.site.test
GW_CERT_ID=gw1-cert.site.test
IKE_PSK_CONN=psk
IKE_CERT_CONN=cert
GW_VICI=$GW_VICI
IKE_VICI=$IKE_VICI
GW_CHARON_CONF=$DIR/gw.conf
GW_CHARON_LOG=$DIR/logs/gw-charon.log
GW_CHARON_PIDFILE=$DIR/pids/gw-charon.pid
IPSEC_DEV=ipsec0
PSK_FILE=$DIR/psk
PKI_DIR=$PKI
CA=$PKI/ca.crt
CA_KEY=$PKI/ca.key
CLIENT_CN=gw1
CLIENT_CERT=$PKI/gw1.crt
CLIENT_KEY=$PKI/gw1.key
IPSEC_CERT=$PKI/gw1-cert.crt
IPSEC_KEY=$PKI/gw1-cert.key
IKE_CERT=$PKI/ike.crt
LOG_DIR=$DIR/logs
PID_DIR=$DIR/pids
EOF
}

up() {
    check_prerequisites
    mkdir -p "$DIR/pids" "$DIR/logs"
    rm -f "$DIR"/pids/*.pid "$DIR"/logs/*.log
    trap 'rc=$?; if [ $rc -ne 0 ]; then log "up failed (exit $rc); tearing down"; down; fi' EXIT
    make_pki

    for ns in $NS_LAN $NS_GW $NS_WAN $NS_CLOUD $NS_IKE $P-vpn1 $P-vpn2 $P-vpn3; do
        newns "$ns"
    done
    for ns in $NS_GW $NS_IKE $P-vpn1 $P-vpn2 $P-vpn3; do
        ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
    done

    # the two bridges
    for ns in $NS_WAN $NS_CLOUD; do
        ip -n "$ns" link add br0 type bridge
        ip -n "$ns" link set br0 up
    done

    # LAN
    veth "$NS_LAN" eth0 "$NS_GW" lan0
    ip -n "$NS_LAN" addr add 10.77.1.2/24 dev eth0
    ip -n "$NS_LAN" route add default via 10.77.1.1
    ip -n "$NS_GW" addr add 10.77.1.1/24 dev lan0

    # WAN legs: gw, vpn1..3, ike
    veth "$NS_GW" wan0 "$NS_WAN" gw
    ip -n "$NS_WAN" link set gw master br0
    ip -n "$NS_GW" addr add 198.18.0.1/24 dev wan0
    for v in $VPNS ike; do
        local ns=$P-$v addr
        if [ "$v" = ike ]; then addr=20; else addr=1$(vpn_n "$v"); fi
        veth "$ns" wan0 "$NS_WAN" "$v"
        ip -n "$NS_WAN" link set "$v" master br0
        ip -n "$ns" addr add "198.18.0.$addr/24" dev wan0
        veth "$ns" cloud0 "$NS_CLOUD" "$v"
        ip -n "$NS_CLOUD" link set "$v" master br0
        ip -n "$ns" addr add "10.99.0.$addr/24" dev cloud0
    done

    # cloud host: the bridge itself; LAN sources come back through the IKE responder
    ip -n "$NS_CLOUD" addr add 10.99.0.10/24 dev br0
    ip -n "$NS_CLOUD" route add 10.77.1.0/24 via 10.99.0.20
    spawn cloud-echo ip netns exec "$NS_CLOUD" socat TCP-LISTEN:7,bind=10.99.0.10,fork,reuseaddr EXEC:cat

    # VPN gateways: masquerade towards the cloud, so replies come back through the gateway they came through
    for v in $VPNS; do
        ip netns exec "$P-$v" nft -f - <<EOF
table ip lab {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "cloud0" masquerade
    }
}
EOF
        vpn_conf "$v"
    done
    local starters=()
    for v in $VPNS; do
        start_vpn "$v" &
        starters+=($!)
    done

    # charons
    charon_conf gw "$GW_VICI" initiator
    charon_conf ike "$IKE_VICI" responder
    responder_swanctl
    start_charon gw "$NS_GW" "$GW_VICI" &
    starters+=($!)
    start_charon ike "$NS_IKE" "$IKE_VICI"
    SWANCTL_DIR=$DIR/ike-swanctl swanctl --load-all --noprompt --uri "unix://$IKE_VICI" \
        --file "$DIR/ike-swanctl/swanctl.conf" >"$DIR/logs/ike-swanctl.log" 2>&1 \
        || die "swanctl --load-all on the responder failed: $(tail -5 "$DIR/logs/ike-swanctl.log")"
    wait_for "echo service on 10.99.0.10:7" 5 \
        sh -c "ip netns exec '$NS_CLOUD' ss -Hnlt 'sport = :7' | grep -q 10.99.0.10:7"
    local job
    for job in "${starters[@]}"; do
        wait "$job" || die "a daemon did not start (see $DIR/logs)"
    done
    alive gw-charon || die "gw charon died (see $DIR/logs/gw-charon.log)"
    write_env
    trap - EXIT
    log "lab $P up in $DIR ($(cat "$DIR/lab.env" | grep -c =) names in $DIR/lab.env)"
}

status() {
    echo "namespaces:"
    ip netns list | awk '{print $1}' | grep "^$P-" | sed 's/^/  /' || echo "  (none)"
    echo "daemons:"
    local name pid
    for name in cloud-echo gw-charon ike-charon $VPNS; do
        pid=$(cat "$(pidfile "$name")" 2>/dev/null || true)
        if [ -z "$pid" ]; then
            echo "  $name stopped"
        elif kill -0 "$pid" 2>/dev/null; then
            echo "  $name pid $pid running"
        else
            echo "  $name pid $pid dead"
        fi
    done
    if [ -S "$GW_VICI" ]; then
        echo "gw SAs:"
        swanctl --list-sas --uri "unix://$GW_VICI" 2>&1 | grep -v "^plugin '" | sed 's/^/  /' || true
    fi
    if [ -S "$IKE_VICI" ]; then
        echo "responder SAs:"
        swanctl --list-sas --uri "unix://$IKE_VICI" 2>&1 | grep -v "^plugin '" | sed 's/^/  /' || true
    fi
}

case "$CMD" in
    up) up ;;
    down) down; exit 0 ;;
    stop-vpn|start-vpn)
        [ $# -eq 4 ] && [[ "$4" =~ ^vpn[123]$ ]] || die "$CMD needs vpn1, vpn2 or vpn3"
        ip netns list | awk '{print $1}' | grep -qx "$P-$4" || die "no lab $P (namespace $P-$4 missing)"
        if [ "$CMD" = stop-vpn ]; then kill_daemon "$4"; else start_vpn "$4"; fi
        ;;
    restart-gw-charon)
        ip netns list | awk '{print $1}' | grep -qx "$NS_GW" || die "no lab $P (namespace $NS_GW missing)"
        kill_daemon gw-charon
        start_charon gw "$NS_GW" "$GW_VICI"
        ;;
    status) status ;;
    *) usage ;;
esac
