package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.protocol.Pkce;
import dev.castgate.store.AuthorizationCodeStore.CodeConsumption;
import dev.castgate.store.Stores;
import dev.castgate.token.Consumption.Consumed;
import java.util.Optional;

/**
 * The authorization code grant (RFC 6749 §4.1.3), with PKCE (RFC 7636 §4.6). The code is
 * consumed in the transaction that stores its tokens; a code presented a second time revokes
 * what the first use issued (RFC 6749 §4.1.2).
 */
public record AuthorizationCodeGrantHandler(Stores stores, AuditTrail audit) implements GrantHandler {
    private static final String INVALID_CODE = "the authorization code is invalid, expired or was issued to another client";

    @Override
    public GrantType grantType() { return GrantType.AUTHORIZATION_CODE; }

    @Override
    public Issuance validate(TokenRequest request) {
        Form form = request.form();
        AuthenticatedClient client = request.client();
        String code = form.require("code");
        Optional<String> redirectUri = form.optional("redirect_uri");
        Optional<String> verifier = form.optional("code_verifier");
        if (verifier.isPresent() && !Pkce.validVerifier(verifier.get())) {
            throw OAuthException.invalidRequest("code_verifier must be 43 to 128 unreserved characters");
        }
        TokenHash hash = Hashes.tokenHash(code);
        AuthorizationCode authorizationCode = stores.codes().find(hash)
                .filter(found -> found.clientId().equals(client.id()))
                .orElseThrow(() -> OAuthException.invalidGrant(INVALID_CODE));
        // The grant and its account go with the code (deleting either deletes it); whether the
        // grant is still live is decided after the code is consumed, as is the binding, so that a
        // failed exchange still uses the code up.
        Grant grant = stores.grants().find(authorizationCode.grantId()).orElseThrow(() -> OAuthException.invalidGrant(INVALID_CODE));
        User user = stores.users().find(authorizationCode.userId())
                .orElseThrow(() -> OAuthException.invalidGrant("the account that authorized this code no longer exists"));
        Optional<OAuthException> mismatch = checkBinding(authorizationCode, redirectUri, verifier, request.provenKey());

        Consumption consumes = (tx, now) -> switch (tx.codes().consume(hash, now)) {
            case CodeConsumption.Consumed consumed -> {
                if (mismatch.isPresent()) yield new Consumed.Refused(mismatch.get());
                boolean live = tx.grants().find(grant.id()).filter(g -> g.revokedAt().isEmpty()).isPresent();
                yield live ? new Consumed.Proceed() : new Consumed.Refused(OAuthException.invalidGrant(INVALID_CODE));
            }
            case CodeConsumption.Replayed replayed -> {
                // RFC 6749 §4.1.2: a code used twice is refused, and what the first use issued is revoked.
                tx.grants().revoke(replayed.grantId(), now);
                tx.audit().record(audit.failure(AuditEvent.Type.CODE_REPLAY_DETECTED).user(authorizationCode.userId())
                        .client(client.id()).address(request.remoteAddress()).detail("grant " + replayed.grantId() + " revoked"));
                yield new Consumed.Refused(OAuthException.invalidGrant("the authorization code was already used; its tokens are revoked"));
            }
            case CodeConsumption.Expired expired -> new Consumed.Refused(OAuthException.invalidGrant(INVALID_CODE));
        };
        return Issuance.existingGrant(client.client(), grant, grant.scope(), request.format(),
                Optional.of(new Issuance.SignIn(user, authorizationCode.authTime(), authorizationCode.nonce())),
                new Issuance.RefreshPlan.New(), consumes);
    }

    /**
     * RFC 6749 §4.1.3 (redirect_uri), RFC 7636 §4.6 (code_verifier) and RFC 9449 §10 (dpop_jkt:
     * the proof's key is the one the authorization request named); empty when all hold.
     */
    private static Optional<OAuthException> checkBinding(AuthorizationCode code, Optional<String> redirectUri, Optional<String> verifier,
                                                         Optional<String> provenKey) {
        if (code.redirectUriGiven() && redirectUri.isEmpty()) {
            return Optional.of(OAuthException.invalidGrant("redirect_uri is required because the authorization request included it"));
        }
        if (redirectUri.isPresent() && !redirectUri.get().equals(code.redirectUri())) {
            return Optional.of(OAuthException.invalidGrant("redirect_uri does not match the authorization request"));
        }
        if (code.codeChallenge().isPresent()) {
            if (verifier.isEmpty()) return Optional.of(OAuthException.invalidGrant("code_verifier is required"));
            if (!Pkce.matches(verifier.get(), code.codeChallenge().get())) {
                return Optional.of(OAuthException.invalidGrant("code_verifier does not match the code_challenge"));
            }
        } else if (verifier.isPresent()) {
            // RFC 9700 §4.8.2: a verifier without a challenge is a downgrade attempt.
            return Optional.of(OAuthException.invalidGrant("code_verifier was sent but the authorization request had no code_challenge"));
        }
        if (code.dpopJkt().isPresent() && !code.dpopJkt().equals(provenKey)) {
            return Optional.of(OAuthException.invalidGrant(provenKey.isEmpty()
                    ? "the authorization code is bound to a DPoP key: send a DPoP proof of it"
                    : "the DPoP proof's key is not the one the authorization request named"));
        }
        return Optional.empty();
    }
}
