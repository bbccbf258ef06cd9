package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.authorize.Pkce;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.store.AuthorizationCodeStore.CodeConsumption;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The authorization code grant (RFC 6749 §4.1.3), with PKCE (RFC 7636 §4.6). */
public final class AuthorizationCodeGrantHandler implements GrantHandler {
    private static final String INVALID_CODE = "the authorization code is invalid, expired or was issued to another client";

    private final Transactions transactions;
    private final TokenIssuer issuer;
    private final AuditTrail audit;
    private final Clock clock;

    public AuthorizationCodeGrantHandler(Transactions transactions, TokenIssuer issuer, AuditTrail audit, Clock clock) {
        this.transactions = transactions;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public GrantType grantType() { return GrantType.AUTHORIZATION_CODE; }

    @Override
    public TokenResponse handle(TokenRequest request) {
        Form form = request.form();
        AuthenticatedClient client = request.client();
        String code = form.require("code");
        Optional<String> redirectUri = form.optional("redirect_uri");
        Optional<String> verifier = form.optional("code_verifier");
        if (verifier.isPresent() && !Pkce.validVerifier(verifier.get())) {
            throw OAuthException.invalidRequest("code_verifier must be 43 to 128 unreserved characters");
        }
        String hash = Hashes.sha256Hex(code);
        Instant now = clock.instant();

        // A replay must revoke the grant even though this request fails, so that work commits on
        // its own; only then is the error thrown.
        GrantOutcome outcome = transactions.inTransaction(tx -> {
            Optional<AuthorizationCode> found = tx.codes().find(hash);
            if (found.isEmpty() || !found.get().clientId().equals(client.id())) {
                return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID_CODE));
            }
            AuthorizationCode authorizationCode = found.get();
            switch (tx.codes().consume(hash, now)) {
                case CodeConsumption.Consumed consumed -> { }
                case CodeConsumption.Replayed replayed -> {
                    // RFC 6749 §4.1.2: a code used twice is refused, and what the first use issued is revoked.
                    tx.grants().revoke(replayed.grantId(), now);
                    tx.audit().record(audit.failure(AuditEvent.Type.CODE_REPLAY_DETECTED).user(authorizationCode.userId())
                            .client(client.id()).address(request.remoteAddress()).detail("grant " + replayed.grantId() + " revoked"));
                    return new GrantOutcome.Failed(OAuthException.invalidGrant("the authorization code was already used; its tokens are revoked"));
                }
                case CodeConsumption.Expired expired -> {
                    return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID_CODE));
                }
            }
            OAuthException mismatch = checkBinding(authorizationCode, redirectUri, verifier);
            if (mismatch != null) return new GrantOutcome.Failed(mismatch);

            Grant grant = tx.grants().find(authorizationCode.grantId())
                    .filter(g -> g.revokedAt().isEmpty())
                    .orElse(null);
            if (grant == null) return new GrantOutcome.Failed(OAuthException.invalidGrant(INVALID_CODE));
            Optional<User> user = tx.users().find(authorizationCode.userId());
            if (user.isEmpty()) return new GrantOutcome.Failed(OAuthException.invalidGrant("the account that authorized this code no longer exists"));
            Optional<TokenIssuer.IdTokenContext> idToken = authorizationCode.scope().contains(Scope.OPENID)
                    ? Optional.of(new TokenIssuer.IdTokenContext(user.get(), authorizationCode.authTime(), authorizationCode.nonce()))
                    : Optional.empty();
            tx.grants().markUsed(grant.id(), now);
            tx.audit().record(audit.success(AuditEvent.Type.TOKEN_ISSUED).user(grant.userId()).client(client.id())
                    .address(request.remoteAddress()).detail("authorization_code"));
            TokenIssuer.RefreshPlan refresh = client.client().allows(GrantType.REFRESH_TOKEN)
                    ? new TokenIssuer.RefreshPlan.Fresh() : new TokenIssuer.RefreshPlan.None();
            return new GrantOutcome.Issued(issuer.issue(tx, new TokenIssuer.Issue(client.client(), grant, grant.scope(), request.format(),
                    Optional.of(authorizationCode.authTime()), refresh, idToken)));
        });
        return outcome.responseOrThrow();
    }

    /** RFC 6749 §4.1.3 (redirect_uri) and RFC 7636 §4.6 (code_verifier); null when both hold. */
    private static OAuthException checkBinding(AuthorizationCode code, Optional<String> redirectUri, Optional<String> verifier) {
        if (code.redirectUriGiven() && redirectUri.isEmpty()) {
            return OAuthException.invalidGrant("redirect_uri is required because the authorization request included it");
        }
        if (redirectUri.isPresent() && !redirectUri.get().equals(code.redirectUri())) {
            return OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
        if (code.codeChallenge().isPresent()) {
            if (verifier.isEmpty()) return OAuthException.invalidGrant("code_verifier is required");
            if (!Pkce.matches(verifier.get(), code.codeChallenge().get())) {
                return OAuthException.invalidGrant("code_verifier does not match the code_challenge");
            }
        } else if (verifier.isPresent()) {
            // RFC 9700 §4.8.2: a verifier without a challenge is a downgrade attempt.
            return OAuthException.invalidGrant("code_verifier was sent but the authorization request had no code_challenge");
        }
        return null;
    }
}
