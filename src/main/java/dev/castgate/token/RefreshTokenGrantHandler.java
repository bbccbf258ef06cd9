package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.domain.AuditEvent;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.scope.ScopePolicy;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The refresh token grant (RFC 6749 §6). Every use rotates the token; presenting a used one
 * revokes the whole grant, since either the client or an attacker holds a stolen copy
 * (RFC 9700 §4.14.2).
 */
public final class RefreshTokenGrantHandler implements GrantHandler {
    private static final String INVALID = "the refresh token is invalid, expired, revoked or was issued to another client";

    private final Transactions transactions;
    private final TokenIssuer issuer;
    private final AuditTrail audit;
    private final Clock clock;

    public RefreshTokenGrantHandler(Transactions transactions, TokenIssuer issuer, AuditTrail audit, Clock clock) {
        this.transactions = transactions;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public GrantType grantType() { return GrantType.REFRESH_TOKEN; }

    @Override
    public TokenResponse handle(TokenRequest request) {
        Form form = request.form();
        AuthenticatedClient client = request.client();
        String hash = Hashes.sha256Hex(form.require("refresh_token"));
        Scope requested = ScopePolicy.parse(form.optional("scope"));
        Instant now = clock.instant();

        GrantOutcome outcome = transactions.inTransaction(tx -> {
            Optional<RefreshToken> found = tx.tokens().findRefreshToken(hash);
            if (found.isEmpty() || !found.get().clientId().equals(client.id())) {
                return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID));
            }
            RefreshToken token = found.get();
            Grant grant = tx.grants().find(token.grantId()).filter(g -> g.revokedAt().isEmpty()).orElse(null);
            if (grant == null) return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID));
            // RFC 6749 §6: the new access token's scope may narrow the grant's, never widen it. A live
            // token is checked before it is used up, so a refused request leaves the client's token
            // good; a used or expired one goes on to the checks below.
            boolean live = token.usedAt().isEmpty() && token.expiresAt().isAfter(now);
            if (live && !token.scope().containsAll(requested)) {
                return new GrantOutcome.Failed(OAuthException.invalidScope(
                        "the refresh token does not cover: " + String.join(" ", requested.missingFrom(token.scope()))));
            }
            if (!tx.tokens().markRefreshTokenUsed(hash, now)) {
                // Unexpired yet not markable means another request used it first, even one that
                // raced this one: either way it is reuse.
                if (token.expiresAt().isAfter(now)) {
                    tx.grants().revoke(grant.id(), now);
                    tx.audit().record(audit.failure(AuditEvent.Type.REFRESH_REUSE_DETECTED).user(grant.userId()).client(client.id())
                            .address(request.remoteAddress()).detail("grant " + grant.id() + " revoked"));
                    return new GrantOutcome.Failed(OAuthException.invalidGrant("the refresh token was already used; the grant is revoked"));
                }
                return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID));
            }
            // Marking succeeded, so the token was live and its scope covers the request (checked above);
            // the new refresh token keeps the grant's scope.
            Scope scope = requested.isEmpty() ? token.scope() : requested;
            Optional<User> user = grant.userId().flatMap(tx.users()::find);
            if (grant.userId().isPresent() && user.isEmpty()) {
                return new GrantOutcome.Failed(OAuthException.invalidGrant("the account behind this grant no longer exists"));
            }
            // OIDC Core §12.2: a refreshed ID token names the original sign-in and carries no nonce.
            Optional<TokenIssuer.IdTokenContext> idToken = scope.contains(Scope.OPENID) && user.isPresent()
                    ? Optional.of(new TokenIssuer.IdTokenContext(user.get(), grant.authTime(), Optional.empty()))
                    : Optional.empty();
            tx.grants().markUsed(grant.id(), now);
            tx.audit().record(audit.success(AuditEvent.Type.TOKEN_REFRESHED).user(grant.userId()).client(client.id())
                    .address(request.remoteAddress()));
            return new GrantOutcome.Issued(issuer.issue(tx, client.client(), grant, scope, true, idToken));
        });
        return outcome.responseOrThrow();
    }
}
