package dev.castgate.token;

import dev.castgate.domain.GrantType;

/**
 * One grant type of the token endpoint. A handler never sees the HTTP context, never
 * authenticates the client and never writes a response: it turns a request into tokens or throws.
 */
public sealed interface GrantHandler
        permits AuthorizationCodeGrantHandler, RefreshTokenGrantHandler, ClientCredentialsGrantHandler, PasswordGrantHandler,
                DeviceCodeGrantHandler {
    GrantType grantType();

    TokenResponse handle(TokenRequest request);
}
