package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.scope.ScopePolicy;
import dev.castgate.store.Stores;
import dev.castgate.token.Consumption.Consumed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The refresh token grant (RFC 6749 §6). Every use rotates the token; presenting a used one
 * revokes the whole grant, since either the client or an attacker holds a stolen copy
 * (RFC 9700 §4.14.2).
 *
 * <p>A client may have a refresh grace window: presenting a token again within that long after
 * it was rotated is taken as a retry (a lost response, two tabs, two processes on a TV). The retry
 * gets a new access token and the same successor refresh token the first request got (see
 * {@link TokenIssuer#successorOf}), so the grant keeps one chain and the newest token works. A retry
 * after the successor itself was used, or after the window, is reuse. Clients get
 * {@code Client.DEFAULT_REFRESH_GRACE} unless registered with another window; with none (an
 * explicit zero) every second presentation is reuse.
 */
public record RefreshTokenGrantHandler(Stores stores, TokenIssuer issuer, AuditTrail audit, Clock clock) implements GrantHandler {
    private static final String INVALID = "the refresh token is invalid, expired, revoked or was issued to another client";

    @Override
    public GrantType grantType() { return GrantType.REFRESH_TOKEN; }

    @Override
    public Issuance validate(TokenRequest request) {
        AuthenticatedClient client = request.client();
        String presented = request.form().require("refresh_token");
        TokenHash hash = Hashes.tokenHash(presented);
        Scope requested = ScopePolicy.withoutIgnored(ScopePolicy.parse(request.form().optional("scope")));
        // No grant that refreshes holds admin (client_credentials issues no refresh token); said plainly all the same.
        ScopePolicy.refuseAdmin(requested);

        RefreshToken token = stores.tokens().findRefreshToken(hash)
                .filter(found -> found.clientId().equals(client.id()))
                .orElseThrow(() -> OAuthException.invalidGrant(INVALID));
        Grant grant = stores.grants().find(token.grantId()).filter(g -> g.revokedAt().isEmpty())
                .orElseThrow(() -> OAuthException.invalidGrant(INVALID));
        // RFC 6749 §6: the new access token's scope may narrow the grant's, never widen it. A live
        // token is checked before it is used up, so a refused request leaves the client's token
        // good; a used or expired one goes on to the checks of the consumption.
        Instant now = clock.instant();
        boolean live = token.usedAt().isEmpty() && token.expiresAt().isAfter(now);
        if (live && !token.scope().containsAll(requested)) throw notCovered(requested, token);
        // RFC 9449 §5: a bound refresh token is good only with a proof of its key; refused before
        // it is used up, so a thief without the key cannot spend the client's token.
        if (token.jkt().isPresent() && !token.jkt().equals(request.provenKey())) {
            throw OAuthException.invalidGrant(request.provenKey().isEmpty()
                    ? "the refresh token is DPoP-bound: send a DPoP proof of its key"
                    : "the refresh token is bound to another key than the DPoP proof's");
        }
        Optional<User> user = grant.userId().flatMap(stores.users()::find);
        if (grant.userId().isPresent() && user.isEmpty()) {
            throw OAuthException.invalidGrant("the account behind this grant no longer exists");
        }
        // The token's scope covers the request (checked above or by the consumption); the new
        // refresh token keeps the grant's scope. OIDC Core §12.2: a refreshed ID token names the
        // original sign-in and carries no nonce.
        Scope scope = requested.isEmpty() ? token.scope() : requested;
        return Issuance.existingGrant(client.client(), grant, scope, request.format(),
                user.map(u -> new Issuance.SignIn(u, grant.authTime(), Optional.empty())),
                new Issuance.RefreshPlan.Rotate(presented),
                (tx, at) -> consume(tx, at, request, presented, hash, token, grant, requested));
    }

    /** Uses the token up, or recognises a retry within the grace window, or detects reuse. */
    private Consumed consume(Stores tx, Instant now, TokenRequest request, String presented, TokenHash hash, RefreshToken token,
                             Grant grant, Scope requested) {
        if (tx.tokens().markRefreshTokenUsed(hash, now)) return new Consumed.Proceed();
        // Not markable: used (perhaps by a request racing this one, whose commit this statement
        // waited for), or expired. Read it again to see when it was used. A zero window is
        // checked apart: nodes' clocks differ, and a use stamped by a node whose clock runs
        // ahead would otherwise lie in this node's future, inside a "zero" window.
        Duration grace = request.client().client().refreshGrace();
        Optional<Instant> usedAt = tx.tokens().findRefreshToken(hash).flatMap(RefreshToken::usedAt);
        if (!grace.isZero() && usedAt.isPresent() && now.isBefore(usedAt.get().plus(grace)) && successorUnused(tx, presented, grant, now)) {
            if (!token.scope().containsAll(requested)) return new Consumed.Refused(notCovered(requested, token));
            return new Consumed.Retried();
        }
        if (token.expiresAt().isAfter(now)) {
            tx.grants().revoke(grant.id(), now);
            tx.audit().record(audit.failure(AuditEvent.Type.REFRESH_REUSE_DETECTED).user(grant.userId()).client(request.client().id())
                    .address(request.remoteAddress()).detail("grant " + grant.id() + " revoked"));
            return new Consumed.Refused(OAuthException.invalidGrant("the refresh token was already used; the grant is revoked"));
        }
        return new Consumed.Refused(OAuthException.invalidGrant(INVALID));
    }

    /** The retry case needs the first request's successor still unused: otherwise the chain has moved on. */
    private boolean successorUnused(Stores tx, String presented, Grant grant, Instant now) {
        return tx.tokens().findRefreshToken(Hashes.tokenHash(issuer.successorOf(presented)))
                .filter(s -> s.grantId().equals(grant.id()) && s.usedAt().isEmpty() && s.expiresAt().isAfter(now))
                .isPresent();
    }

    private static OAuthException notCovered(Scope requested, RefreshToken token) {
        return OAuthException.invalidScope("the refresh token does not cover: " + String.join(" ", requested.missingFrom(token.scope())));
    }
}
