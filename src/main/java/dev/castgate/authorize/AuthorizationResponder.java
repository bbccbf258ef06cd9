package dev.castgate.authorize;

import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.ErrorDescription;
import dev.castgate.http.Redirects;
import dev.castgate.token.TokenResponse;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every answer of the authorization endpoint that goes back to the client: the code, the
 * implicit flow's token, or an error (RFC 6749 §4.1.2, §4.2.2, §4.1.2.1). It alone adds
 * {@code state} and {@code iss} (RFC 9207) and chooses how the parameters travel: in the
 * redirect URI's query, where Castgate's clients, like the original service's, read them.
 * Only ever given a redirect URI that was verified against the client's registration.
 */
public record AuthorizationResponder(String issuer) {
    /** The authorization code (§4.1.2). */
    public void code(Context ctx, AuthorizationRequest request, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        send(ctx, request.redirectUri(), request.state(), params);
    }

    /** The implicit flow's access token (§4.2.2); never a refresh token. */
    public void token(Context ctx, AuthorizationRequest request, TokenResponse tokens) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("access_token", tokens.accessToken());
        params.put("token_type", TokenResponse.TOKEN_TYPE);
        params.put("expires_in", Long.toString(tokens.expiresIn()));
        if (!tokens.scope().isEmpty()) params.put("scope", tokens.scope().wireValue());
        send(ctx, request.redirectUri(), request.state(), params);
    }

    /** An error, once the client and its redirect URI are verified (§4.1.2.1). */
    public void error(Context ctx, AuthorizationErrorResponse e) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", e.error().code());
        params.put("error_description", ErrorDescription.safe(e.description()));
        send(ctx, e.verifiedRedirectUri(), e.state(), params);
    }

    private void send(Context ctx, String verifiedRedirectUri, Optional<String> state, Map<String, String> params) {
        state.ifPresent(value -> params.put("state", value));
        params.put("iss", issuer);
        Redirects.to(ctx, verifiedRedirectUri, params);
    }
}
