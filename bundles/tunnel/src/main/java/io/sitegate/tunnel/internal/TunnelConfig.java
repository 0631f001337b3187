package io.sitegate.tunnel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of one tunnel, factory PID {@code io.sitegate.tunnel~<name>}, and the one place its defaults are written
 * ({@link TunnelSettings} reads them from here). {@code etc/io.sitegate.tunnel~example.cfg.sample} documents each one.
 */
@ObjectClassDefinition(name = "Sitegate tunnel", description = "One tunnel back to the cloud: IPsec (strongSwan) or OpenVPN")
@interface TunnelConfig {
    @AttributeDefinition(description = "ipsec or openvpn")
    String type() default "";

    @AttributeDefinition(description = "The healthy tunnel with the highest priority carries the cloud prefixes (1-1000)")
    int priority() default 100;

    @AttributeDefinition(description = "Cloud endpoints by region: region:host or region:host:port, comma separated, preferred first")
    String endpoints() default "";

    @AttributeDefinition(description = "The region whose endpoints are used; empty: from the network the modem is registered on", required = false)
    String region() default "";

    @AttributeDefinition(description = "Use other regions' endpoints when none of this region's answers (data then leaves the region)")
    boolean region_leave() default false;

    @AttributeDefinition(description = "The cloud prefixes routed through the active tunnel, comma separated CIDRs")
    String prefixes() default "";

    @AttributeDefinition(description = "An address inside the cloud network that answers ping, checked through this tunnel")
    String probe_address() default "";

    @AttributeDefinition(description = "Seconds between probes (each costs about 2 x 84 bytes of cellular data plus encapsulation)")
    int probe_interval() default 10;

    @AttributeDefinition(description = "Probes in a row without an answer before the tunnel counts as unhealthy")
    int probe_failures() default 3;

    @AttributeDefinition(description = "Probes in a row answered before an unhealthy tunnel counts as healthy again")
    int probe_successes() default 3;

    @AttributeDefinition(description = "Seconds a higher-priority tunnel must stay healthy before traffic moves back to it")
    int failback_holdDown() default 60;

    @AttributeDefinition(description = "Seconds between keepalives (OpenVPN ping) or dead peer detection (IPsec DPD) when idle")
    int keepalive() default 25;

    @AttributeDefinition(description = "Seconds without a sign of the peer before OpenVPN restarts the link")
    int keepalive_timeout() default 120;

    @AttributeDefinition(description = "Network namespace the daemons and routes live in; empty: the gateway's own", required = false)
    String namespace() default "";

    @AttributeDefinition(description = "The gateway's own address on the cloud side routes (IPsec: inside ipsec.localTs)", required = false)
    String source() default "";

    @AttributeDefinition(description = "charon's VICI socket")
    String ipsec_vici() default "unix:///var/run/charon.vici";

    @AttributeDefinition(description = "This gateway's IKE identity", required = false)
    String ipsec_localId() default "";

    @AttributeDefinition(description = "The cloud endpoint's IKE identity", required = false)
    String ipsec_remoteId() default "";

    @AttributeDefinition(description = "psk or pubkey")
    String ipsec_auth() default "pubkey";

    @AttributeDefinition(description = "Name of the secret (etc/secrets/<name>) holding the pre-shared key", required = false)
    String ipsec_pskSecret() default "";

    @AttributeDefinition(description = "PEM certificate of this gateway (pubkey)", required = false)
    String ipsec_cert() default "";

    @AttributeDefinition(description = "PEM private key of this gateway (pubkey), readable only by the gateway", required = false)
    String ipsec_key() default "";

    @AttributeDefinition(description = "PEM CA certificate the cloud endpoint's certificate chains to (pubkey)", required = false)
    String ipsec_ca() default "";

    @AttributeDefinition(description = "IKE proposals, comma separated")
    String ipsec_proposals() default "default";

    @AttributeDefinition(description = "ESP proposals, comma separated")
    String ipsec_espProposals() default "default";

    @AttributeDefinition(description = "The LAN prefixes behind the gateway, comma separated CIDRs", required = false)
    String ipsec_localTs() default "";

    @AttributeDefinition(description = "PEM CA certificate the OpenVPN servers' certificates chain to", required = false)
    String openvpn_ca() default "";

    @AttributeDefinition(description = "PEM certificate of this gateway", required = false)
    String openvpn_cert() default "";

    @AttributeDefinition(description = "PEM private key of this gateway, readable only by the gateway", required = false)
    String openvpn_key() default "";

    @AttributeDefinition(description = "The name the servers' certificates must carry (verify-x509-name), empty: any from the CA", required = false)
    String openvpn_serverName() default "";

    @AttributeDefinition(description = "udp or tcp")
    String openvpn_protocol() default "udp";

    @AttributeDefinition(description = "The openvpn program")
    String openvpn_command() default "/usr/sbin/openvpn";
}
