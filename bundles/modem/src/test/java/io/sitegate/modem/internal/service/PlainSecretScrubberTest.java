package io.sitegate.modem.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;

class PlainSecretScrubberTest {
    @Test
    void plainSecretsAreRemovedAndNamedOthersKept() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("port", "/dev/ttyUSB2");
        p.put("pin", "1234");
        p.put("apnPassword", "s3cret");
        p.put("pinSecret", "sim-wan0");
        assertThat(PlainSecretScrubber.removePlainSecrets(p)).containsExactly("pin", "apnPassword");
        assertThat(Collections.list(p.keys())).containsExactlyInAnyOrder("port", "pinSecret");
        assertThat(p.toString()).doesNotContain("1234").doesNotContain("s3cret");
    }

    @Test
    void emptyPlainPropertiesAreDroppedSilentlyAndCleanConfigurationsUntouched() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("port", "/dev/ttyUSB2");
        p.put("pin", "");
        assertThat(PlainSecretScrubber.removePlainSecrets(p)).isEmpty();
        assertThat(Collections.list(p.keys())).containsExactly("port");
        Dictionary<String, Object> clean = new Hashtable<>();
        clean.put("port", "/dev/ttyUSB2");
        assertThat(PlainSecretScrubber.removePlainSecrets(clean)).isEmpty();
        assertThat(clean.size()).isEqualTo(1);
    }
}
