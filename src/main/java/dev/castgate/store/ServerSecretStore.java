package dev.castgate.store;

import java.time.Instant;
import java.util.function.Supplier;

/** Secrets every node shares, by name; the first node to ask creates each one. */
public interface ServerSecretStore {
    /** The stored secret of that name, storing one from {@code candidate} first if there is none (safe when nodes race). */
    String findOrCreate(String name, Supplier<String> candidate, Instant now);
}
