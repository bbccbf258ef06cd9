package dev.castgate.store;

import java.util.function.Function;

/** Runs work in one database transaction; the stores it is given share that transaction. */
public interface Transactions {
    <T> T inTransaction(Function<Stores, T> work);
}
