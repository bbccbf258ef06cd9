package dev.castgate.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A GET of a document a client named by URL (its key set, its request object): no redirects,
 * {@link #TIMEOUT} for the whole answer, at most {@link #MAX_BYTES}. The caller checks the URL
 * first (https, or http on loopback); whatever goes wrong is a reason in words, which the caller
 * turns into the client's error, never the server's.
 */
public final class BoundedFetch {
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    public static final int MAX_BYTES = 64 * 1024;

    /** Made at the first fetch: building an HTTP client loads the TLS trust store, a tenth of the server's start here. */
    private HttpClient http;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    /** The body of a 200 answer from {@code uri}, or the exception {@code failure} makes of the reason. */
    public String get(String uri, String accept, Function<String, RuntimeException> failure) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).header("Accept", accept).GET().build();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<InputStream> response;
        try {
            response = http().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failure.apply(late());
        } catch (ExecutionException e) {
            throw failure.apply(e.getCause() instanceof HttpTimeoutException ? late() : "it could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply("the fetch was interrupted");
        }
        String body = readBody(response, deadline, failure);
        if (response.statusCode() != 200) throw failure.apply("it answered HTTP " + response.statusCode());
        return body;
    }

    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        return http;
    }

    /** At most {@link #MAX_BYTES}, by the deadline: a body that trickles in is as much a failure as one that never comes. */
    private String readBody(HttpResponse<InputStream> response, long deadline, Function<String, RuntimeException> failure) {
        InputStream body = response.body();
        Future<byte[]> read = readers.submit(() -> body.readNBytes(MAX_BYTES + 1));
        try {
            byte[] bytes = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (bytes.length > MAX_BYTES) throw failure.apply("its answer is larger than " + MAX_BYTES / 1024 + " KiB");
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            throw failure.apply(late());
        } catch (ExecutionException e) {
            throw failure.apply("its answer could not be read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply("the fetch was interrupted");
        } finally {
            read.cancel(true);
            try {
                body.close();
            } catch (IOException ignored) {
                // The connection is given up either way.
            }
        }
    }

    private static String late() { return "it did not answer within " + TIMEOUT.toSeconds() + " s"; }
}
