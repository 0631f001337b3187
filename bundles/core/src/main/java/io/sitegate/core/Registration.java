package io.sitegate.core;

/** A handle to undo a registration (a listener, a gate); closing twice is harmless. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
