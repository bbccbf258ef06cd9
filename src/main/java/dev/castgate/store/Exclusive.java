package dev.castgate.store;

import java.util.Optional;
import java.util.function.Supplier;

/** Work that one node at a time does, such as housekeeping: the others skip it meanwhile. */
public interface Exclusive {
    /** Runs {@code work} unless another node (or thread) runs work of that name now; empty when it was skipped. */
    <T> Optional<T> alone(String name, Supplier<T> work);
}
