package dev.castgate.store;

import dev.castgate.domain.AuditEvent;

/**
 * What the stores tell the server's metrics: each audit event recorded, each group-commit batch
 * written. Called on the writing thread, so an observer only counts.
 */
public interface StoreObserver {
    StoreObserver NONE = new StoreObserver() {};

    /** An audit event was written (in the transaction of the change it describes). */
    default void audited(AuditEvent event) {}

    /** The group-commit writer committed a batch of this many requests' writes. */
    default void batchWritten(int requests) {}
}
