package dev.castgate.store.jdbc;

import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Where a store's statements run: a pooled connection per call, or one open transaction. */
final class HandleSource {
    private final Jdbi jdbi;
    private final Handle transaction;

    private HandleSource(Jdbi jdbi, Handle transaction) {
        this.jdbi = jdbi;
        this.transaction = transaction;
    }

    static HandleSource pooled(Jdbi jdbi) { return new HandleSource(jdbi, null); }

    static HandleSource transaction(Handle handle) { return new HandleSource(null, handle); }

    <R> R with(Function<Handle, R> work) {
        return transaction != null ? work.apply(transaction) : jdbi.withHandle(work::apply);
    }

    void run(java.util.function.Consumer<Handle> work) {
        with(h -> { work.accept(h); return null; });
    }
}
