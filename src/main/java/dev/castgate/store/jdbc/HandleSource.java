package dev.castgate.store.jdbc;

import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Where a store's statements run: a pooled connection per call, or one open transaction. */
final class HandleSource {
    private static final Runnable NOTHING = () -> { };

    private final Jdbi jdbi;
    private final Handle transaction;
    private final Runnable beforeUse;

    private HandleSource(Jdbi jdbi, Handle transaction, Runnable beforeUse) {
        this.jdbi = jdbi;
        this.transaction = transaction;
        this.beforeUse = beforeUse;
    }

    static HandleSource pooled(Jdbi jdbi) { return new HandleSource(jdbi, null, NOTHING); }

    static HandleSource transaction(Handle handle) { return new HandleSource(null, handle, NOTHING); }

    /**
     * A transaction whose every statement first runs {@code beforeUse}: the group-commit writer
     * writes the rows it holds back before a later unit reads or changes anything, so each unit
     * sees the batch's earlier units as if each had committed alone.
     */
    static HandleSource transaction(Handle handle, Runnable beforeUse) { return new HandleSource(null, handle, beforeUse); }

    <R> R with(Function<Handle, R> work) {
        if (transaction == null) return jdbi.withHandle(work::apply);
        beforeUse.run();
        return work.apply(transaction);
    }

    void run(java.util.function.Consumer<Handle> work) {
        with(h -> { work.accept(h); return null; });
    }
}
