package dev.castgate.clientauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.JWKSet;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.error.OAuthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The key sets of private_key_jwt clients registered with a {@code jwks_uri} (RFC 7591 §2),
 * fetched when first needed and kept for {@link #CACHE_TTL}. A fetch is bounded: https only (http
 * only on a loopback address), no redirects, {@link #TIMEOUT} for the whole answer, at most
 * {@link #MAX_BYTES}; whatever goes wrong is the client's {@code invalid_client}, never the
 * server's error. An assertion signed with a key the cached set lacks makes one fetch again, at
 * most once per {@link #REFETCH_AFTER} for each set, so a client can rotate its keys without
 * letting a stream of unknown kids make the server fetch on every request.
 */
public final class JwksUriFetcher {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final int MAX_BYTES = 64 * 1024;
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration REFETCH_AFTER = Duration.ofSeconds(10);

    private record Fetched(JWKSet keys, Instant at) {}

    /** Made at the first fetch: building an HTTP client loads the TLS trust store, a tenth of the server's start here. */
    private HttpClient http;
    private final Cache<String, Fetched> cache;
    private final Clock clock;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

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
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<InputStream> response;
        try {
            response = http().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failure("it did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(e.getCause() instanceof java.net.http.HttpTimeoutException
                    ? "it did not answer within " + TIMEOUT.toSeconds() + " s" : "it could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("the fetch was interrupted");
        }
        String body = readBody(response, deadline);
        if (response.statusCode() != 200) throw failure("it answered HTTP " + response.statusCode());
        try {
            return new Fetched(ClientKeys.parsePublic(body), clock.instant());
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage());
        }
    }

    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        return http;
    }

    /** At most {@link #MAX_BYTES}, by the deadline: a body that trickles in is as much a failure as one that never comes. */
    private String readBody(HttpResponse<InputStream> response, long deadline) {
        InputStream body = response.body();
        Future<byte[]> read = readers.submit(() -> body.readNBytes(MAX_BYTES + 1));
        try {
            byte[] bytes = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (bytes.length > MAX_BYTES) throw failure("its answer is larger than " + MAX_BYTES / 1024 + " KiB");
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            throw failure("it did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure("its answer could not be read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("the fetch was interrupted");
        } finally {
            read.cancel(true);
            try {
                body.close();
            } catch (IOException ignored) {
                // The connection is given up either way.
            }
        }
    }

    private static OAuthException failure(String why) {
        return OAuthException.invalidClient("the client's key set could not be fetched from its jwks_uri: " + why);
    }
}
