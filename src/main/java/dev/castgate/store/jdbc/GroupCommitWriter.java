package dev.castgate.store.jdbc;

import dev.castgate.store.IssuanceWriter;
import dev.castgate.store.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread writes the units of every request waiting at that moment in one
 * transaction, with one commit (one sync on SQLite, one WAL flush on PostgreSQL), then answers
 * each of them. While a batch commits the next one gathers, so the batch grows with the load
 * and no request waits for a timer.
 *
 * <p>The rows are written as JDBC batches (a round trip each on PostgreSQL) when the batch ends,
 * or earlier, just before a later unit's consumption touches the database, so every unit sees
 * the batch's earlier units as if each had committed alone. If anything fails, the transaction
 * is rolled back and the batch is written again with a savepoint per unit, so one bad unit fails
 * alone and the others commit.
 *
 * <p>This class is the batching: the queue, the one thread, the transaction with its savepoints,
 * and answering each request. Which rows an issuance makes, and the statements that write them,
 * are {@link PendingRows}'s: the two change for different reasons.
 */
final class GroupCommitWriter implements IssuanceWriter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Units per transaction; beyond it the rest waits for the next, bounding the time one batch holds SQLite's lock. */
    private static final int MAX_BATCH = 512;
    /** Units waiting at most; a request beyond it waits for room (back pressure instead of unbounded memory). */
    private static final int QUEUE_CAPACITY = 8192;
    /** How long a request waits for its commit before it is answered server_error (a database that stopped answering). */
    private static final long WAIT_SECONDS = 30;

    private final Jdbi jdbi;
    private final Function<HandleSource, Stores> stores;
    /** SQLite's one writer: the batch takes the same lock as every other transaction of this process. Null on PostgreSQL. */
    private final Lock sqliteWriter;
    /** SQLite's checkpoints, whose log the writer restarts between batches when it has grown; null on PostgreSQL. */
    private final WalCheckpoints checkpoints;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean closed;
    private Handle handle;

    GroupCommitWriter(Jdbi jdbi, Function<HandleSource, Stores> stores, Lock sqliteWriter, WalCheckpoints checkpoints) {
        this.jdbi = jdbi;
        this.stores = stores;
        this.sqliteWriter = sqliteWriter;
        this.checkpoints = checkpoints;
        this.thread = Thread.ofPlatform().name("castgate-group-commit").daemon(true).unstarted(this::loop);
        thread.start();
    }

    @Override
    public <T> Written<T> write(Function<Stores, T> consume, Function<T, Rows> rowsFor) {
        Unit<T> unit = new Unit<>(consume, rowsFor);
        try {
            if (closed || !queue.offer(unit, WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(closed ? "the server is stopping" : "the database writer is overloaded");
            }
            return unit.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unit.cancel();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        } catch (TimeoutException e) {
            // Not yet taken: it never will be. Taken: it may still commit, unanswered, like a
            // response lost on the network.
            unit.cancel();
            throw new IllegalStateException("the database did not commit within " + WAIT_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Unit<?>> batch = new ArrayList<>();
        while (true) {
            try {
                Unit<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        discardHandle();
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                batch.removeIf(unit -> !unit.take());
                if (!batch.isEmpty()) write(batch);
            } catch (InterruptedException e) {
                if (closed) return;
            } catch (Throwable t) {
                // Never leave a request waiting: whatever escaped fails the batch it hit.
                for (Unit<?> unit : batch) unit.done.completeExceptionally(t);
                log.error("the group-commit writer failed a batch", t);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Unit<?>> batch) {
        if (sqliteWriter != null) sqliteWriter.lock();
        try {
            try {
                writeTogether(batch);
            } catch (RuntimeException together) {
                log.warn("a write batch of {} failed ({}); writing each request on its own", batch.size(), together.getClass().getSimpleName());
                try {
                    writeEachAlone(batch);
                } catch (RuntimeException alone) {
                    for (Unit<?> unit : batch) unit.done.completeExceptionally(alone);
                    return;
                }
            }
        } finally {
            if (sqliteWriter != null) sqliteWriter.unlock();
        }
        for (Unit<?> unit : batch) unit.complete();
        if (checkpoints != null && checkpoints.restartDue()) restartLog();
    }

    /** After the batch is answered, so its requests do not wait for it; under the process's write lock, as a write. */
    private void restartLog() {
        sqliteWriter.lock();
        try {
            checkpoints.restart(handle());
        } catch (RuntimeException e) {
            discardHandle();
            log.warn("restarting the write-ahead log failed ({}); a later batch tries again", e.toString());
        } finally {
            sqliteWriter.unlock();
        }
    }

    /** The fast path: every unit in one transaction, the rows in batches, one commit. */
    private void writeTogether(List<Unit<?>> batch) {
        inOneTransaction((tx, pending) -> {
            for (Unit<?> unit : batch) unit.run(tx, pending);
        });
    }

    /** After a failure: one transaction again, a savepoint per unit, so only the failing unit fails. */
    private void writeEachAlone(List<Unit<?>> batch) {
        inOneTransaction((tx, pending) -> {
            Handle handle = handle(); // the transaction's own, kept connection
            for (int i = 0; i < batch.size(); i++) {
                Unit<?> unit = batch.get(i);
                String savepoint = "unit" + i;
                unit.reset();
                handle.savepoint(savepoint);
                try {
                    unit.run(tx, pending);
                    pending.flush();
                    handle.releaseSavepoint(savepoint);
                } catch (RuntimeException e) {
                    pending.clear();
                    handle.rollbackToSavepoint(savepoint);
                    unit.failure = e;
                }
            }
        });
    }

    /**
     * One transaction on the writer's connection: the stores {@code work} sees write the gathered
     * rows back before each statement, and what is still gathered is written before the commit.
     * After a failure the connection is discarded.
     */
    private void inOneTransaction(BiConsumer<Stores, PendingRows> work) {
        Handle handle = handle();
        handle.begin();
        try {
            PendingRows pending = new PendingRows(handle);
            work.accept(stores.apply(HandleSource.transaction(handle, pending::flush)), pending);
            pending.flush();
            handle.commit();
        } catch (RuntimeException e) {
            discardHandle();
            throw e;
        }
    }

    /**
     * The writer's own connection, kept from batch to batch: SQLite's page cache belongs to a
     * connection, and one borrowed from the pool for each batch read some forty pages again at
     * every commit. Only the writer's thread touches it.
     */
    private Handle handle() {
        if (handle == null) handle = jdbi.open();
        return handle;
    }

    /** After a failure the connection may be broken (a PostgreSQL restart): rolled back, closed, and a new one taken next time. */
    private void discardHandle() {
        if (handle == null) return;
        try {
            handle.rollback();
        } catch (RuntimeException ignored) {
            // the connection is gone
        }
        try {
            handle.close();
        } catch (RuntimeException ignored) {
            // the pool replaces a broken connection
        }
        handle = null;
    }

    /** Stops taking units, writes those already waiting, and stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Unit<?> unit; (unit = queue.poll()) != null; ) {
            unit.done.completeExceptionally(new IllegalStateException("the server is stopping"));
        }
    }

    /** One request's unit, and what writing it found. */
    private static final class Unit<T> implements PendingRows.Owner {
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
}
