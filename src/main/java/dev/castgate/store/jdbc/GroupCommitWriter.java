package dev.castgate.store.jdbc;

import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.DatabaseUnavailable.Kind;
import dev.castgate.store.IssuanceWriter;
import dev.castgate.store.OutageLog;
import dev.castgate.store.StoreObserver;
import dev.castgate.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * <p>A batch that fails because the database is away ({@link DatabaseUnavailable}: no connection,
 * a timeout, a full disk, a lock held elsewhere) is not written again unit by unit, which would
 * wait out the same timeout once more: it fails, with every unit queued behind it, at once.
 *
 * <p>This class is the batching: the queue, the one thread, the transaction with its savepoints,
 * and answering each request. Which rows an issuance makes, and the statements that write them,
 * are {@link PendingRows}'s, and a request's part is its {@link Unit}: they change for different reasons.
 */
final class GroupCommitWriter implements IssuanceWriter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Units per transaction; beyond it the rest waits for the next, bounding the time one batch holds SQLite's lock. */
    private static final int MAX_BATCH = 512;
    /** Units waiting at most; a request beyond it waits for room (back pressure instead of unbounded memory). */
    private static final int QUEUE_CAPACITY = 8192;
    /** How long the server's stop waits for the batches already queued. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Jdbi jdbi;
    private final Function<HandleSource, Stores> stores;
    /** SQLite's one writer: the batch takes the same lock as every other transaction of this process. Null on PostgreSQL. */
    private final SqliteWriteLock sqliteWriter;
    /** SQLite's checkpoints, whose log the writer restarts between batches when it has grown; null on PostgreSQL. */
    private final WalCheckpoints checkpoints;
    private final OutageGate gate;
    private final OutageLog outages;
    private final Supplier<StoreObserver> observer;
    /** How long a request waits for room in the queue, and then for its commit: {@link #longestWait}. */
    private final long waitMillis;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean closed;
    private Handle handle;

    GroupCommitWriter(Jdbi jdbi, Function<HandleSource, Stores> stores, Supplier<StoreObserver> observer, SqliteWriteLock sqliteWriter,
            WalCheckpoints checkpoints, OutageGate gate, OutageLog outages, Duration wait) {
        this.jdbi = jdbi;
        this.stores = stores;
        this.observer = observer;
        this.sqliteWriter = sqliteWriter;
        this.checkpoints = checkpoints;
        this.gate = gate;
        this.outages = outages;
        this.waitMillis = wait.toMillis();
        this.thread = Thread.ofPlatform().name("castgate-group-commit").daemon(true).unstarted(this::loop);
        thread.start();
    }

    /**
     * The longest a request waits: a batch ahead of it and its own, each a connection's wait and a
     * statement's (on a silent connection, the socket timeout: both together). Past it the request
     * is answered 503; its rows may still commit, like a response lost on the network.
     */
    static Duration longestWait(Duration connectTimeout, Duration statementTimeout) {
        // In milliseconds: Duration.multipliedBy goes through BigDecimal, whose first use costs a
        // start 45 ms of its class initialisation, run by the interpreter.
        return Duration.ofMillis(2 * (connectTimeout.toMillis() + statementTimeout.toMillis()));
    }

    @Override
    public <T> Written<T> write(Function<Stores, T> consume, Function<T, Rows> rowsFor) {
        gate.check();
        Unit<T> unit = new Unit<>(consume, rowsFor);
        try {
            if (closed) throw new IllegalStateException("the server is stopping");
            if (!queue.offer(unit, waitMillis, TimeUnit.MILLISECONDS)) {
                throw new DatabaseUnavailable(Kind.TIMEOUT, "the database writer's queue stayed full");
            }
            return unit.done.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unit.cancel();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        } catch (TimeoutException e) {
            // Not yet taken: it never will be. Taken: it may still commit, unanswered, like a
            // response lost on the network.
            unit.cancel();
            throw new DatabaseUnavailable(Kind.TIMEOUT, "the database did not commit within " + waitMillis + " ms");
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
                Optional<Kind> away = DatabaseUnavailable.of(t);
                if (away.isPresent()) outages.report(away.get(), "the group-commit writer", t);
                else log.error("the group-commit writer failed a batch", t);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Unit<?>> batch) {
        if (sqliteWriter != null) sqliteWriter.acquire();
        try {
            try {
                writeTogether(batch);
            } catch (RuntimeException together) {
                if (DatabaseUnavailable.of(together).isPresent()) {
                    failWithQueue(batch, together);
                    return;
                }
                log.warn("a write batch of {} failed ({}); writing each request on its own", batch.size(), together.getClass().getSimpleName());
                try {
                    writeEachAlone(batch);
                } catch (RuntimeException alone) {
                    for (Unit<?> unit : batch) unit.done.completeExceptionally(alone);
                    return;
                }
            }
        } finally {
            if (sqliteWriter != null) sqliteWriter.release();
        }
        for (Unit<?> unit : batch) unit.complete();
        observer.get().batchWritten(batch.size());
        if (checkpoints != null && checkpoints.restartDue()) restartLog();
    }

    /**
     * The database is away: the units queued behind the batch would wait for the same timeout,
     * one batch after another, so they fail now with it. A later request tries again (on
     * PostgreSQL the gate answers it at once until the database answers).
     */
    private void failWithQueue(List<Unit<?>> batch, RuntimeException failure) {
        gate.failed(failure);
        List<Unit<?>> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Unit<?> unit : batch) unit.done.completeExceptionally(failure);
        for (Unit<?> unit : waiting) if (unit.take()) unit.done.completeExceptionally(failure);
        outages.report(DatabaseUnavailable.of(failure).orElseThrow(), "the group-commit writer, "
                + (batch.size() + waiting.size()) + " requests failed", failure);
    }

    /** After the batch is answered, so its requests do not wait for it; under the process's write lock, as a write. */
    private void restartLog() {
        try {
            sqliteWriter.acquire();
        } catch (DatabaseUnavailable busy) {
            return; // a later batch tries again
        }
        try {
            checkpoints.restart(handle());
        } catch (RuntimeException e) {
            discardHandle();
            Optional<Kind> away = DatabaseUnavailable.of(e);
            if (away.isPresent()) outages.report(away.get(), "restarting the write-ahead log", e);
            else log.warn("restarting the write-ahead log failed ({}); a later batch tries again", e.toString());
        } finally {
            sqliteWriter.release();
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
        SqliteWriteLock.begin(handle);
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
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Unit<?> unit; (unit = queue.poll()) != null; ) {
            unit.done.completeExceptionally(new IllegalStateException("the server is stopping"));
        }
    }
}
