package io.sitegate.tunnel.internal.vici;

import java.util.Arrays;
import java.util.List;

/**
 * A VICI list: ordered, unnamed values. Lists hold values only; they do not nest and hold no sections
 * (strongSwan's README, "Lists"). May be empty. Immutable.
 *
 * @param items the values, in wire order
 */
public record ViciList(List<ViciValue> items) implements ViciElement {

    /** The empty list. */
    public static final ViciList EMPTY = new ViciList(List.of());

    /**
     * @param items the values, copied; none may be null
     */
    public ViciList {
        items = List.copyOf(items);
    }

    /**
     * @param items string values, encoded as UTF-8
     * @return the list
     * @throws IllegalArgumentException if one is longer than {@value ViciLimits#MAX_VALUE_LENGTH} bytes
     */
    public static ViciList ofStrings(String... items) {
        return ofStrings(Arrays.asList(items));
    }

    /**
     * @param items string values, encoded as UTF-8
     * @return the list
     * @throws IllegalArgumentException if one is longer than {@value ViciLimits#MAX_VALUE_LENGTH} bytes
     */
    public static ViciList ofStrings(List<String> items) {
        return new ViciList(items.stream().map(ViciValue::of).toList());
    }

    /** @return the values decoded as UTF-8 */
    public List<String> strings() {
        return items.stream().map(ViciValue::asString).toList();
    }

    /** @return the number of values */
    public int size() {
        return items.size();
    }
}
