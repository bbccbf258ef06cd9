package dev.castgate.discovery;

import dev.castgate.keys.SigningKeys;
import io.javalin.http.Context;

/** GET /oauth2/jwks: the public signing keys (RFC 7517 §5). */
public final class JwksEndpoint {
    private final SigningKeys keys;

    public JwksEndpoint(SigningKeys keys) { this.keys = keys; }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.status(200).contentType("application/jwk-set+json;charset=UTF-8").result(keys.jwksJson());
    }
}
