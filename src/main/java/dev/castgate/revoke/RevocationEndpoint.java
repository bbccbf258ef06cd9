package dev.castgate.revoke;

import dev.castgate.audit.AuditTrail;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.TokenHash;
import dev.castgate.http.Form;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * POST /oauth2/token/revoke and /oauth2/revoke (RFC 7009). The client authenticates as at the
 * token endpoint. Revoking a refresh token ends its whole grant (§2.1: the access tokens of the
 * same grant go too); revoking an access token ends that token. The answer is 200 with an empty
 * body whether or not anything was revoked (§2.2), so an unknown token, a revoked one, or another
 * client's (which is left alone, §2.1) all look alike.
 */
public record RevocationEndpoint(Transactions transactions, AuditTrail audit, Clock clock) {
    /** The form is parsed and the client authenticated by the router, as the route declares. */
    public void handle(Context ctx, Form form, AuthenticatedClient client) {
        TokenHash hash = Hashes.tokenHash(form.require("token"));
        // §2.1: the hint only says where to look first; an unknown hint value is ignored, and the
        // search goes on to the other type when the hinted one does not match.
        boolean accessFirst = form.optional("token_type_hint").filter("access_token"::equals).isPresent();
        transactions.inTransaction(tx -> {
            if (accessFirst) {
                if (!revokeAccessToken(tx, hash, client, ctx.ip())) revokeRefreshToken(tx, hash, client, ctx.ip());
            } else if (!revokeRefreshToken(tx, hash, client, ctx.ip())) {
                revokeAccessToken(tx, hash, client, ctx.ip());
            }
            return null;
        });
        ctx.status(200).result("");
    }

    /** True when the hash is a refresh token, whatever became of it. */
    private boolean revokeRefreshToken(Stores tx, TokenHash hash, AuthenticatedClient client, String address) {
        Optional<RefreshToken> found = tx.tokens().findRefreshToken(hash);
        if (found.isEmpty()) return false;
        RefreshToken token = found.get();
        Instant now = clock.instant();
        if (!token.clientId().equals(client.id())) {
            recordForeign(tx, token.clientId(), client, address);
        } else if (tx.grants().revoke(token.grantId(), now)) {
            tx.audit().record(audit.success(AuditEvent.Type.TOKEN_REVOKED).user(token.userId()).client(client.id())
                    .address(address).detail("refresh token; grant " + token.grantId() + " revoked"));
        }
        return true;
    }

    /** True when the hash is an access token, whatever became of it. */
    private boolean revokeAccessToken(Stores tx, TokenHash hash, AuthenticatedClient client, String address) {
        Optional<AccessToken> found = tx.tokens().findAccessToken(hash);
        if (found.isEmpty()) return false;
        AccessToken token = found.get();
        if (!token.clientId().equals(client.id())) {
            recordForeign(tx, token.clientId(), client, address);
        } else if (tx.tokens().revokeAccessToken(hash, clock.instant())) {
            tx.audit().record(audit.success(AuditEvent.Type.TOKEN_REVOKED).user(token.userId()).client(client.id())
                    .address(address).detail("access token of grant " + token.grantId()));
        }
        return true;
    }

    /** A client presenting another client's token holds something it should not: worth a trace, never an answer. */
    private void recordForeign(Stores tx, ClientId ownerClientId, AuthenticatedClient client, String address) {
        tx.audit().record(audit.failure(AuditEvent.Type.TOKEN_REVOKED).client(client.id()).address(address)
                .detail("token of client " + ownerClientId + " presented; nothing revoked"));
    }
}
