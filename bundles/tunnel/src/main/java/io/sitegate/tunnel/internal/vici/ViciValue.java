package io.sitegate.tunnel.internal.vici;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A VICI value: an opaque blob of at most {@value ViciLimits#MAX_VALUE_LENGTH} bytes. charon sends
 * strings (numbers as decimal strings), but certificates and keys travel as raw DER, so the bytes are
 * the truth and {@link #asString()} is a view.
 *
 * <p>Immutable. {@link #toString()} shows only the length: values carry PSKs and private keys.
 */
public final class ViciValue implements ViciElement {

    private final byte[] bytes;

    private ViciValue(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the value, copied
     * @return the value
     * @throws IllegalArgumentException if it is longer than {@value ViciLimits#MAX_VALUE_LENGTH} bytes
     */
    public static ViciValue of(byte[] bytes) {
        return checked(bytes.clone());
    }

    /**
     * @param text the value, encoded as UTF-8
     * @return the value
     * @throws IllegalArgumentException if its UTF-8 form is longer than {@value ViciLimits#MAX_VALUE_LENGTH} bytes
     */
    public static ViciValue of(String text) {
        return checked(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Wraps bytes the caller hands over and never touches again (the decoder's fresh copies). */
    static ViciValue wrap(byte[] owned) {
        return checked(owned);
    }

    private static ViciValue checked(byte[] bytes) {
        if (bytes.length > ViciLimits.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("VICI value of " + bytes.length + " bytes exceeds the limit of "
                    + ViciLimits.MAX_VALUE_LENGTH + " bytes (16-bit length)");
        }
        return new ViciValue(bytes);
    }

    /** @return a copy of the value's bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @return the bytes decoded as UTF-8, malformed sequences replaced by U+FFFD */
    public String asString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViciValue other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "<" + bytes.length + " bytes>";
    }
}
