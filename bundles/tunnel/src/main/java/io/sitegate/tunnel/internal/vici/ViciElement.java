package io.sitegate.tunnel.internal.vici;

/**
 * What a name in a {@link ViciSection} stands for: a {@link ViciValue} (KEY_VALUE), a {@link ViciList}
 * (LIST_START, LIST_ITEM..., LIST_END) or a nested {@link ViciSection} (SECTION_START ... SECTION_END).
 */
public sealed interface ViciElement permits ViciValue, ViciList, ViciSection {
}
