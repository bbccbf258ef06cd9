package dev.castgate.userinfo;

import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.domain.UserClaims;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.error.MissingBearerToken;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.AccessLog;
import dev.castgate.http.BearerToken;
import dev.castgate.http.PresentedToken;
import dev.castgate.http.Json;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.Stores;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GET and POST /oauth2/userinfo (OIDC Core §5.3): the claims the token's scopes release (§5.4),
 * and those its authorization request named for userinfo with the {@code claims} parameter
 * (§5.5), which its grant keeps. A JWT access token whose signing key was retired is refused like
 * a revoked one, and so is one its client narrowed to other resources (RFC 8707) than the issuer.
 * A DPoP-bound token is accepted with a proof of its key only (RFC 9449 §7).
 */
public record UserInfoEndpoint(Stores stores, SigningKeys keys, Clock clock, String issuer, DpopProofs dpop) {
    public void handle(Context ctx) {
        PresentedToken presented = BearerToken.find(ctx).orElseThrow(MissingBearerToken::new);
        try {
            answer(ctx, presented);
        } catch (OAuthException e) {
            throw presented.refusal(e);
        }
    }

    private void answer(Context ctx, PresentedToken presented) {
        String token = presented.value();
        AccessToken accessToken = stores.tokens().findActiveAccessToken(Hashes.tokenHash(token), clock.instant())
                .filter(found -> keys.stillPublished(token))
                .orElseThrow(() -> OAuthException.invalidToken("the access token is invalid, expired or revoked"));
        dpop.requireBinding(ctx, issuer, presented, accessToken.jkt());
        if (!accessToken.audience().admits(issuer)) throw OAuthException.invalidToken("the access token is for another resource");
        AccessLog.client(ctx, accessToken.clientId().value());
        if (!accessToken.scope().contains(Scope.OPENID) || accessToken.userId().isEmpty()) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "the access token lacks the openid scope");
        }
        User user = stores.users().find(accessToken.userId().get())
                .orElseThrow(() -> OAuthException.invalidToken("the account behind this token no longer exists"));
        Set<String> wanted = UserClaims.releasedBy(accessToken.scope());
        stores.grants().find(accessToken.grantId()).ifPresent(grant -> wanted.addAll(grant.claims().userinfo()));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.id().value());
        claims.putAll(UserClaims.of(user, wanted));
        Json.respond(ctx, 200, claims);
    }
}
