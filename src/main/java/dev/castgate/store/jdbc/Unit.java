package dev.castgate.store.jdbc;

import dev.castgate.store.IssuanceWriter.Rows;
import dev.castgate.store.IssuanceWriter.Written;
import dev.castgate.store.Stores;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** One request's unit of the group-commit writer, and what writing it found. */
final class Unit<T> implements PendingRows.Owner {
    private static final int QUEUED = 0, TAKEN = 1, CANCELLED = 2;

    final Function<Stores, T> consume;
    final Function<T, Rows> rowsFor;
    final CompletableFuture<Written<T>> done = new CompletableFuture<>();
    final AtomicInteger state = new AtomicInteger(QUEUED);
    T consumed;
    boolean stored;
    RuntimeException failure;

    Unit(Function<Stores, T> consume, Function<T, Rows> rowsFor) {
        this.consume = consume;
        this.rowsFor = rowsFor;
    }

    boolean take() { return state.compareAndSet(QUEUED, TAKEN); }

    void cancel() { state.compareAndSet(QUEUED, CANCELLED); }

    void run(Stores tx, PendingRows pending) {
        consumed = consume.apply(tx);
        Rows rows = rowsFor.apply(consumed);
        stored = true;
        if (!rows.isEmpty()) pending.add(this, rows);
    }

    @Override
    public void unstored() { stored = false; }

    void reset() {
        consumed = null;
        stored = false;
        failure = null;
    }

    void complete() {
        if (failure != null) done.completeExceptionally(failure);
        else done.complete(new Written<>(consumed, stored));
    }
}
