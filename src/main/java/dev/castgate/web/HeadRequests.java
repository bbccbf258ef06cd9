package dev.castgate.web;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HEAD answers as GET would, without the body (RFC 9110 §9.3.2). Javalin on its own answers HEAD
 * on any GET route with an empty 200 and never runs the route, so authentication, rate limits
 * and lookups were skipped and a HEAD-based token or health check was told "fine". Giving every
 * GET route a HEAD twin with the same handler applies all of them; Jetty drops the body of a HEAD
 * answer and keeps its status and headers.
 */
public final class HeadRequests {
    private HeadRequests() {}

    /** Adds a HEAD route running the same handler for every GET route of the listener; call once all routes are registered. */
    public static void runGetHandlers(Javalin javalin) {
        InternalRouter router = javalin.unsafe.internalRouter;
        List<Endpoint> endpoints = router.allHttpHandlers().stream().map(parsed -> parsed.endpoint).toList();
        Set<String> withHead = endpoints.stream().filter(e -> e.method == HandlerType.HEAD).map(e -> e.path).collect(Collectors.toSet());
        for (Endpoint get : endpoints) {
            if (get.method == HandlerType.GET && !withHead.contains(get.path)) {
                router.addHttpEndpoint(new Endpoint(HandlerType.HEAD, get.path, get.handler));
            }
        }
    }
}
