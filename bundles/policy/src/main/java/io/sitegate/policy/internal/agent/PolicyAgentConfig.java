package io.sitegate.policy.internal.agent;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of the policy agent, PID {@code io.sitegate.policy}; {@code etc/io.sitegate.policy.cfg} documents it. */
@ObjectClassDefinition(name = "Sitegate policy agent", description = "Signed policies over MQTT v5, applied as one transaction")
@interface PolicyAgentConfig {
    @AttributeDefinition(description = "The broker: ssl://host:port (tcp:// only with allowPlainTcp = true)")
    String broker() default "";

    @AttributeDefinition(description = "Allow an unencrypted tcp:// broker (a lab only)")
    boolean allowPlainTcp() default false;

    @AttributeDefinition(description = "PEM CA the broker's certificate must chain to", required = false)
    String tls_ca() default "";

    @AttributeDefinition(description = "PEM client certificate (its CN is the gateway id at the broker)", required = false)
    String tls_cert() default "";

    @AttributeDefinition(description = "PEM private key of the client certificate, readable only by the gateway", required = false)
    String tls_key() default "";

    @AttributeDefinition(description = "The gateway's id on the topics; empty: io.sitegate.gateway's id", required = false)
    String gateway() default "";

    @AttributeDefinition(description = "The groups this gateway belongs to, comma separated", required = false)
    String groups() default "";

    @AttributeDefinition(description = "Directory of the trusted policy keys (<kid>.pem); empty: etc/policy-keys", required = false)
    String keys() default "";

    @AttributeDefinition(description = "Seconds a new policy has to prove itself (MQTT back, tunnels up) before it is rolled back")
    int confirmWindow() default 120;

    @AttributeDefinition(description = "Largest policy accepted, bytes")
    int maxPolicyBytes() default 262_144;
}
