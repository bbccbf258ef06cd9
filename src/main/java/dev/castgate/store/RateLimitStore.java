package dev.castgate.store;

/** Fixed-window request counters shared by every node through the database. */
public interface RateLimitStore {
    /** Adds one hit to the bucket's window in one atomic statement and returns the window's count after it. */
    int hit(String bucket, long windowStart, long windowEnd);
}
