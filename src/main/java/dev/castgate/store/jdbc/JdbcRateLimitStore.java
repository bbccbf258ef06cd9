package dev.castgate.store.jdbc;

import dev.castgate.store.RateLimitStore;
import java.util.Map;

/**
 * One upsert per hit: INSERT ... ON CONFLICT DO UPDATE ... RETURNING is atomic on PostgreSQL and
 * on SQLite (3.35 and later; the driver bundles 3.5x), so nodes sharing a database count together.
 */
record JdbcRateLimitStore(HandleSource db) implements RateLimitStore {
    @Override
    public int hit(String bucket, long windowStart, long windowEnd) {
        return db.one(Integer.class, "INSERT INTO api_rate_limits (bucket, window_start, window_end, hits) "
                        + "VALUES (:bucket, :start, :end, 1) "
                        + "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = api_rate_limits.hits + 1 RETURNING hits",
                        Map.of("bucket", bucket, "start", windowStart, "end", windowEnd));
    }

    @Override
    public int hits(String bucket, long windowStart) {
        return db.findOne(Integer.class, "SELECT hits FROM api_rate_limits WHERE bucket = :bucket AND window_start = :start",
                Map.of("bucket", bucket, "start", windowStart)).orElse(0);
    }
}
