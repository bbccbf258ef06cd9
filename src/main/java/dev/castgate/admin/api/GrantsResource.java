package dev.castgate.admin.api;

import dev.castgate.admin.GrantAdministration;
import dev.castgate.audit.Operator;
import dev.castgate.domain.GrantId;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.Map;

/** An account's grants, and the revocation of one, through {@link GrantAdministration}. */
record GrantsResource(GrantAdministration grants) {
    void ofUser(Context ctx, Operator operator) {
        Json.respond(ctx, 200, Map.of("grants", grants.ofUser(ctx.pathParam("user")).stream().map(GrantAdministration::describe).toList()));
    }

    void revoke(Context ctx, Operator operator) {
        String id = ctx.pathParam("grant_id");
        // Grant ids are 40 hex characters; anything else names no grant.
        if (!id.matches("[0-9a-f]{40}")) throw new OAuthException(OAuthError.NOT_FOUND, "no grant " + id);
        GrantAdministration.Revoked revoked = grants.by(operator).revoke(new GrantId(id));
        Json.respond(ctx, 200, Map.of("grant_id", id, "revoked", true, "changed", revoked.changed()));
    }
}
