package dev.castgate.api;

import io.javalin.http.Handler;
import java.util.List;
import java.util.Optional;

/**
 * One route of the Streaming API: the single source from which both the router and the OpenAPI
 * description are made. {@code path} is relative to the API's base path and uses {@code {name}}
 * parameters, as Javalin and OpenAPI both spell them.
 */
record ApiRoute(
        String method,
        String path,
        String operationId,
        String summary,
        Access access,
        Optional<String> scope,
        List<Field> fields,
        int successStatus,
        boolean jsonSuffix,
        Handler handler) {

    /** Who may call it. */
    enum Access {
        /** Needs an access token. */
        TOKEN,
        /** Readable without a token (public, minimal detail); a token, when sent, must be valid. */
        OPTIONAL_TOKEN,
        /** Takes no access token (the OpenAPI description, the ingest server's publish check). */
        NONE
    }

    /** A form field of a POST or PUT body. */
    record Field(String name, boolean required, String type, String description) {}
}
