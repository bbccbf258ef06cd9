package dev.castgate.api;

import dev.castgate.config.ServerConfig.ApiConfig;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.metrics.Metrics;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;

/**
 * Fixed-window limits per access token and per client address, for the Streaming API and the admin
 * API alike, counted in the database so every
 * node shares them. Each request adds one hit to its address's bucket and, when it carries a
 * token, to the token's (by hash), in one transaction; the headers report the tighter bucket.
 */
public record RateLimiter(Transactions transactions, Clock clock, ApiConfig config, Metrics metrics) {
    private record Count(String kind, int limit, int hits) {
        int remaining() { return Math.max(0, limit - hits); }
        boolean exceeded() { return hits > limit; }
    }

    public void check(Context ctx, Optional<String> tokenHash) {
        long now = clock.millis();
        long window = config.rateLimitWindow().toMillis();
        long start = now - Math.floorMod(now, window);
        long end = start + window;
        String address = ctx.ip();
        Count tightest = transactions.inTransaction(tx -> {
            Count byAddress = new Count("address", config.rateLimitPerAddress(), tx.rateLimits().hit("address:" + address, start, end));
            if (tokenHash.isEmpty()) return byAddress;
            Count byToken = new Count("token", config.rateLimitPerToken(), tx.rateLimits().hit("token:" + tokenHash.get(), start, end));
            if (byAddress.exceeded() != byToken.exceeded()) return byAddress.exceeded() ? byAddress : byToken;
            return byToken.remaining() <= byAddress.remaining() ? byToken : byAddress;
        });
        ctx.header("X-RateLimit-Limit", Integer.toString(tightest.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(tightest.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString((end + 999) / 1000)); // a Unix time, as the original's
        if (tightest.exceeded()) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (end - now + 999) / 1000)));
            metrics.rateLimitRefused(tightest.kind());
            throw new OAuthException(OAuthError.TOO_MANY_REQUESTS, "too many requests; try again after the time in Retry-After");
        }
    }
}
