package io.sitegate.filter.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the outbound filter, PID {@code io.sitegate.filter}, and the one place its defaults are written
 * ({@link FilterConfig} reads them from here). {@code etc/io.sitegate.filter.cfg} documents every property.
 */
@ObjectClassDefinition(name = "Sitegate outbound filter", description = "What the LAN may reach (nftables), by prefix, port and name")
@interface FilterDefinition {
    @AttributeDefinition(description = "What happens to LAN traffic no rule matches: allow (a deny list) or deny (an allow list)")
    String default$() default "allow";

    @AttributeDefinition(description = "Allowed destinations: <prefix|name> [tcp|udp[/port[-port]]], comma separated", required = false)
    String allow() default "";

    @AttributeDefinition(description = "Denied destinations: <prefix> [tcp|udp[/port[-port]]], comma separated", required = false)
    String deny() default "";

    @AttributeDefinition(description = "Access windows: <from-prefix> <lan-host:port|ssh:port> until <time> [wan], comma separated", required = false)
    String access() default "";

    @AttributeDefinition(description = "LAN interfaces whose traffic the rules judge")
    String lan_interfaces() default "br-lan";

    @AttributeDefinition(description = "WAN (cellular) interfaces: new inbound traffic on them is dropped")
    String wan_interfaces() default "wwan0,ppp0,usb0";

    @AttributeDefinition(description = "The most rules (allow and deny together) accepted")
    int maxRules() default 20_000;

    @AttributeDefinition(description = "Run nft in this network namespace (a lab); empty: the gateway's own", required = false)
    String namespace() default "";
}
