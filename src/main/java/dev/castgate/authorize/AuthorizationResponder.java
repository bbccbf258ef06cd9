package dev.castgate.authorize;

import dev.castgate.domain.Client;
import dev.castgate.domain.ResponseMode;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.ErrorDescription;
import dev.castgate.http.Redirects;
import dev.castgate.interaction.Pages;
import dev.castgate.token.TokenResponse;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every answer of the authorization endpoint that goes back to the client: the code, the
 * implicit flow's token, or an error (RFC 6749 §4.1.2, §4.2.2, §4.1.2.1). It alone adds
 * {@code state} and {@code iss} (RFC 9207) and chooses how the parameters travel, as the request's
 * {@code response_mode} asks: in the redirect URI's query, where Castgate's clients, like the
 * original service's, read them by default; or in a form the browser posts there
 * ({@code form_post}, {@link Pages#autoSubmit}); either way, if asked, as one signed JWT
 * ({@code query.jwt}, {@code form_post.jwt}: {@link SignedAuthorizationResponse}).
 * Only ever given a redirect URI that was verified against the client's registration.
 */
public record AuthorizationResponder(String issuer, Pages pages, SignedAuthorizationResponse signed) {
    /** The authorization code (§4.1.2). */
    public void code(Context ctx, AuthorizationRequest request, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        send(ctx, request.client(), request.redirectUri(), request.state(), request.responseMode(), params);
    }

    /** The implicit flow's access token (§4.2.2); never a refresh token. */
    public void token(Context ctx, AuthorizationRequest request, TokenResponse tokens) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("access_token", tokens.accessToken());
        params.put("token_type", TokenResponse.TOKEN_TYPE);
        params.put("expires_in", Long.toString(tokens.expiresIn()));
        if (!tokens.scope().isEmpty()) params.put("scope", tokens.scope().wireValue());
        send(ctx, request.client(), request.redirectUri(), request.state(), request.responseMode(), params);
    }

    /** An error, once the client and its redirect URI are verified (§4.1.2.1). */
    public void error(Context ctx, AuthorizationErrorResponse e) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", e.error().code());
        params.put("error_description", ErrorDescription.safe(e.description()));
        send(ctx, e.client(), e.verifiedRedirectUri(), e.state(), e.responseMode(), params);
    }

    /**
     * The redirect URI's origin ({@code scheme:} for a native app's own scheme): where a form that
     * ends at the client may go, and where the browser may be sent on from there.
     */
    public static String origin(String redirectUri) {
        URI uri = URI.create(redirectUri);
        if (uri.getHost() == null) return uri.getScheme() + ":";
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private void send(Context ctx, Client client, String verifiedRedirectUri, Optional<String> state, ResponseMode mode,
                      Map<String, String> params) {
        state.ifPresent(value -> params.put("state", value));
        // A signed answer names the issuer inside, as its iss claim (RFC 9207 §2.4); a second iss beside it would say nothing more.
        Map<String, String> sent = mode.signed() ? Map.of("response", signed.sign(client, params)) : withIssuer(params);
        if (mode.posted()) {
            pages.autoSubmit(ctx, verifiedRedirectUri, sent, origin(verifiedRedirectUri));
        } else {
            Redirects.to(ctx, verifiedRedirectUri, sent);
        }
    }

    private Map<String, String> withIssuer(Map<String, String> params) {
        params.put("iss", issuer);
        return params;
    }
}
