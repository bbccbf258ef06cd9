package dev.castgate.store;

/** Fixed-window request counters shared by every node through the database. */
public interface RateLimitStore {
    /** Adds one hit to the bucket's window in one atomic statement and returns the window's count after it. */
    int hit(String bucket, long windowStart, long windowEnd);

    /** The bucket's count in the window that starts at {@code windowStart}; 0 when it has none (or it expired). */
    int hits(String bucket, long windowStart);
}
