package dev.castgate.store.jdbc;

import dev.castgate.store.RateLimitStore;

/**
 * One upsert per hit: INSERT ... ON CONFLICT DO UPDATE ... RETURNING is atomic on PostgreSQL and
 * on SQLite (3.35 and later; the driver bundles 3.5x), so nodes sharing a database count together.
 */
final class JdbcRateLimitStore implements RateLimitStore {
    private final HandleSource db;

    JdbcRateLimitStore(HandleSource db) { this.db = db; }

    @Override
    public int hit(String bucket, long windowStart, long windowEnd) {
        return db.with(h -> h.createQuery("INSERT INTO api_rate_limits (bucket, window_start, window_end, hits) "
                        + "VALUES (:bucket, :start, :end, 1) "
                        + "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = api_rate_limits.hits + 1 RETURNING hits")
                .bind("bucket", bucket).bind("start", windowStart).bind("end", windowEnd)
                .mapTo(Integer.class).one());
    }
}
