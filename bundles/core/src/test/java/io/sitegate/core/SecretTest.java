package io.sitegate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void toStringShowsTheNameNeverTheValue() {
        Secret s = new Secret("sim-wan0", "4711");
        assertThat(s.toString()).isEqualTo("Secret[sim-wan0=****]").doesNotContain("4711");
        assertThat(String.valueOf(s)).doesNotContain("4711");
        assertThat(s.reveal()).isEqualTo("4711");
        assertThat(s.name()).isEqualTo("sim-wan0");
    }

    @Test
    void emptyValueIsRefused() {
        assertThatThrownBy(() -> new Secret("x", "")).hasMessageContaining("'x' is empty");
    }

    @Test
    void names() {
        assertThat(SecretStore.isValidName("sim-wan0")).isTrue();
        assertThat(SecretStore.isValidName("apn.wan0_pass")).isTrue();
        assertThat(SecretStore.isValidName("_x")).isTrue();
        assertThat(SecretStore.isValidName(".hidden")).isFalse();
        assertThat(SecretStore.isValidName("..")).isFalse();
        assertThat(SecretStore.isValidName("../etc/passwd")).isFalse();
        assertThat(SecretStore.isValidName("a/b")).isFalse();
        assertThat(SecretStore.isValidName("a\\b")).isFalse();
        assertThat(SecretStore.isValidName("a b")).isFalse();
        assertThat(SecretStore.isValidName("")).isFalse();
        assertThat(SecretStore.isValidName(null)).isFalse();
        assertThat(SecretStore.isValidName("a".repeat(100))).isTrue();
        assertThat(SecretStore.isValidName("a".repeat(101))).isFalse();
    }
}
