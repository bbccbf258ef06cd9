package dev.castgate.admin.api;

import dev.castgate.audit.Operator;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.KeyRotation.Retirement;
import dev.castgate.keys.SigningKeys;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /keys}: what {@code castgate keys list|rotate|retire} do, through {@link KeyRotation}.
 * After a change this node rereads its keys at once, so its JWKS shows it; other nodes within
 * {@code keys.reread_interval} (at once on PostgreSQL, which tells them).
 */
record KeysResource(KeyRotation rotation, SigningKeys keys) {
    void list(Context ctx, Operator operator) {
        Json.respond(ctx, 200, Map.of("keys", rotation.list()));
    }

    void rotate(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.ROTATE_FIELDS));
        String alg = b.string("alg").orElse("all");
        Set<SigningAlgorithm> algorithms = KeyRotation.algorithms(alg)
                .orElseThrow(() -> OAuthException.invalidRequest("alg must be ES256, RS256 or all, not '" + alg + "'"));
        List<SigningKey> made = rotation.rotate(algorithms, operator);
        keys.reread();
        Json.respond(ctx, 200, Map.of("added", made.stream().map(k -> Map.of("kid", k.kid(), "alg", k.algorithm().name(),
                "activates_at", k.activatesAt().toString())).toList()));
    }

    void retire(Context ctx, Operator operator) {
        String kid = ctx.pathParam("kid");
        Retirement retirement = rotation.retire(kid, operator);
        switch (retirement) {
            case Retirement.Unknown unknown -> throw new OAuthException(OAuthError.NOT_FOUND, "no signing key " + kid);
            case Retirement.AlreadyRetired already -> throw OAuthException.invalidRequest("signing key " + kid + " was retired already");
            case Retirement.OnlyKey only -> throw OAuthException.invalidRequest("signing key " + kid + " is the only key that signs "
                    + only.key().algorithm() + " tokens: rotate " + only.key().algorithm() + " first, then retire it");
            case Retirement.Retired retired -> {
                keys.reread();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("kid", kid);
                body.put("retired", true);
                retired.successor().ifPresent(s -> body.put("successor", s.kid()));
                Json.respond(ctx, 200, body);
            }
        }
    }
}
