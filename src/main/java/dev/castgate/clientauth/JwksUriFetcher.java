package dev.castgate.clientauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.JWKSet;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.error.OAuthException;
import dev.castgate.http.BoundedFetch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The key sets of private_key_jwt clients registered with a {@code jwks_uri} (RFC 7591 §2),
 * fetched when first needed and kept for {@link #CACHE_TTL}. A fetch is bounded: https only (http
 * only on a loopback address), no redirects, {@link #TIMEOUT} for the whole answer, at most
 * {@link #MAX_BYTES} ({@link BoundedFetch}); whatever goes wrong is the client's
 * {@code invalid_client}, never the server's error. An assertion signed with a key the cached set lacks makes one fetch again, at
 * most once per {@link #REFETCH_AFTER} for each set, so a client can rotate its keys without
 * letting a stream of unknown kids make the server fetch on every request.
 */
public final class JwksUriFetcher {
    static final Duration TIMEOUT = BoundedFetch.TIMEOUT;
    static final int MAX_BYTES = BoundedFetch.MAX_BYTES;
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration REFETCH_AFTER = Duration.ofSeconds(10);

    private record Fetched(JWKSet keys, Instant at) {}

    private final BoundedFetch http = new BoundedFetch();
    private final Cache<String, Fetched> cache;
    private final Clock clock;

    /** Entries age by the server's clock, so a test moves the clock instead of waiting. */
    public JwksUriFetcher(Clock clock) {
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.cache = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(CACHE_TTL).maximumSize(10_000).build();
    }

    /** The key set at {@code uri}, cached; concurrent first requests share one fetch. */
    JWKSet keys(String uri) {
        return cache.get(uri, this::fetch).keys();
    }

    /**
     * The key set fetched again, for a kid the cached one lacks; the cached set as it is while it
     * is younger than {@link #REFETCH_AFTER}.
     */
    JWKSet refreshed(String uri) {
        Instant now = clock.instant();
        return cache.asMap().compute(uri, (u, cached) ->
                cached != null && cached.at().plus(REFETCH_AFTER).isAfter(now) ? cached : fetch(u)).keys();
    }

    private Fetched fetch(String uri) {
        JwtClientAuth.jwksUriProblem(uri).ifPresent(problem -> { throw failure(problem); });
        String body = http.get(uri, "application/jwk-set+json, application/json", JwksUriFetcher::failure);
        try {
            return new Fetched(ClientKeys.parsePublic(body), clock.instant());
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage());
        }
    }

    private static OAuthException failure(String why) {
        return OAuthException.invalidClient("the client's key set could not be fetched from its jwks_uri: " + why);
    }
}
