package io.sitegate.dns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the DNS forwarder, PID {@code io.sitegate.dns}, and the one place its defaults are written
 * ({@link DnsConfig} reads them from here). {@code forward.<suffix>} properties (conditional forwarding)
 * are not listed: their names are the domains. {@code etc/io.sitegate.dns.cfg} documents every property.
 */
@ObjectClassDefinition(name = "Sitegate DNS forwarder", description = "The LAN's DNS: cache, upstreams, private DNS via tunnel, DNS firewall")
@interface DnsForwarderConfig {
    @AttributeDefinition(description = "UDP and TCP sockets: address:port, [ipv6]:port or interface:port, comma separated", required = false)
    String listen() default "";

    @AttributeDefinition(description = "WAN (cellular) interfaces; nothing listens on them unless listen.wan = true")
    String wan_interfaces() default "wwan0,ppp0,usb0";

    @AttributeDefinition(description = "Allow listening on WAN interfaces and wildcard addresses")
    boolean listen_wan() default false;

    @AttributeDefinition(description = "Public upstreams in order: udp://host:port, tcp://host:port, tls://host:port#name;"
            + " ?trusted after the port passes on the AD bit of a udp/tcp upstream (tls always does)", required = false)
    String upstreams() default "";

    @AttributeDefinition(description = "The customer's DNS servers, reachable through a tunnel", required = false)
    String private_upstreams() default "";

    @AttributeDefinition(description = "Health capability of the tunnel the private upstreams need (tunnel/corp); empty: always used", required = false)
    String private_tunnel() default "";

    @AttributeDefinition(description = "While that tunnel is down, private names get SERVFAIL (true) or go public (false)")
    boolean private_failClosed() default true;

    @AttributeDefinition(description = "Where names no forward.* entry matches go: public or private")
    String route() default "public";

    @AttributeDefinition(description = "PEM file of the CAs DNS-over-TLS servers must chain to; empty: the JDK's CAs", required = false)
    String tls_ca() default "";

    @AttributeDefinition(description = "Milliseconds to wait for one upstream (100-10000)")
    int upstream_timeout() default 1500;

    @AttributeDefinition(description = "Most answers cached")
    int cache_maxEntries() default 20_000;

    @AttributeDefinition(description = "Most bytes cached")
    long cache_maxBytes() default 8L << 20;

    @AttributeDefinition(description = "Shortest TTL kept, seconds")
    int cache_minTtl() default 0;

    @AttributeDefinition(description = "Longest TTL kept, seconds")
    int cache_maxTtl() default 86_400;

    @AttributeDefinition(description = "Longest TTL of a negative answer, seconds")
    int cache_negativeMaxTtl() default 3600;

    @AttributeDefinition(description = "Answer from expired entries when no upstream answers (RFC 8767)")
    boolean cache_serveStale() default false;

    @AttributeDefinition(description = "How long after expiry a stale answer may be served, seconds")
    int cache_staleMaxAge() default 86_400;

    @AttributeDefinition(description = "deny (allowed unless denied) or allowOnly (only allowed names resolve)")
    String firewall_mode() default "deny";

    @AttributeDefinition(description = "Allowed patterns, comma separated", required = false)
    String firewall_allow() default "";

    @AttributeDefinition(description = "Denied patterns, comma separated", required = false)
    String firewall_deny() default "";

    @AttributeDefinition(description = "File of allowed patterns, one per line", required = false)
    String firewall_allowFile() default "";

    @AttributeDefinition(description = "File of denied patterns, one per line", required = false)
    String firewall_denyFile() default "";

    @AttributeDefinition(description = "What a blocked name gets: nxdomain, refused or sinkhole")
    String firewall_answer() default "nxdomain";

    @AttributeDefinition(description = "A answer of a sinkholed name")
    String firewall_sinkhole4() default "0.0.0.0";

    @AttributeDefinition(description = "AAAA answer of a sinkholed name")
    String firewall_sinkhole6() default "::";

    @AttributeDefinition(description = "Queries per second per client; 0 turns the limit off")
    int rateLimit_qps() default 500;

    @AttributeDefinition(description = "Burst per client")
    int rateLimit_burst() default 1000;

    @AttributeDefinition(description = "Milliseconds a TCP client may stay idle")
    int tcp_idleTimeout() default 10_000;

    @AttributeDefinition(description = "TCP client connections served at once")
    int tcp_maxConnections() default 64;

    // 8: RFC 7766 section 6.2.2 asks a client for one connection to a server (plus one for zone transfers);
    // a LAN host behind which several resolvers or a NAT sit may need a few more, and 8 of the 64 global
    // slots means one misbehaving host can take an eighth of them, never all.
    @AttributeDefinition(description = "TCP client connections served at once from one client address (RFC 7766 section 10)")
    int tcp_maxConnectionsPerClient() default 8;

    @AttributeDefinition(description = "Log one query in N; 0 = none")
    int log_querySample() default 0;

    @AttributeDefinition(description = "Log one blocked query in N; 0 = none")
    int log_blockSample() default 1;
}
