package dev.castgate.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;

/**
 * One route of the Streaming API: the single source from which both the router and the OpenAPI
 * description are made. {@code path} is relative to the API's base path and uses {@code {name}}
 * parameters, as Javalin and OpenAPI both spell them. The router enforces {@code access} before
 * the handler runs, so a handler is only ever given a caller the route admits.
 */
record ApiRoute(
        HandlerType method,
        String path,
        String operationId,
        String summary,
        Access access,
        List<Field> fields,
        int successStatus,
        boolean jsonSuffix) {

    /** Who may call it, and the handler that is given what the router found out about the caller. */
    sealed interface Access {
        /** Needs a valid access token, with {@code scope} when one is named. */
        record Token(Optional<String> scope, CallerHandler handler) implements Access {}

        /**
         * Changes the user's channels or videos: needs a valid access token with the
         * {@code broadcaster} scope, or one of a client registered for the original service's
         * scope-free writes ({@code Client.Legacy.apiWrites}).
         */
        record Write(CallerHandler handler) implements Access {}

        /** Readable without a token (public, minimal detail); a token, when sent, must be valid. */
        record OptionalToken(VisitorHandler handler) implements Access {}

        /** Takes no access token (the OpenAPI description, the ingest server's publish check). */
        record NoToken(Handler handler) implements Access {}
    }

    /** Handles a request whose token is valid and has the route's scope. */
    @FunctionalInterface
    interface CallerHandler {
        void handle(Context ctx, Caller caller);
    }

    /** Handles a request that may come without a token; one that was sent is valid. */
    @FunctionalInterface
    interface VisitorHandler {
        void handle(Context ctx, Optional<Caller> caller);
    }

    /** A form field of a POST or PUT body. */
    record Field(String name, boolean required, String type, String description) {}
}
