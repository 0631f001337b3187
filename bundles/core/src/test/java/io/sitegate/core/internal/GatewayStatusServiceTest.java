package io.sitegate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayStatusServiceTest {
    @Test
    void aFailedActivationShowsItsRootCauseNotTheReflectionWrapper() {
        String trace = "java.lang.reflect.InvocationTargetException\n\tat java.base/jdk.internal.reflect.X.newInstance(X.java:1)\n"
                + "Caused by: io.sitegate.core.InvalidConfigurationException: property 'prefixes' has invalid value '10.99.0.1/16': no host bits\n"
                + "\tat io.sitegate.tunnel.internal.TunnelComponent.<init>(TunnelComponent.java:58)\n";
        assertThat(GatewayStatusService.firstLine(trace))
                .isEqualTo("io.sitegate.core.InvalidConfigurationException: property 'prefixes' has invalid value '10.99.0.1/16': no host bits");
        assertThat(GatewayStatusService.firstLine("java.lang.IllegalStateException: boom\n\tat x")).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(GatewayStatusService.firstLine(null)).isEqualTo("activation failed");
    }
}
