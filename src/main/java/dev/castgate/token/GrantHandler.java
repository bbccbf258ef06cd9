package dev.castgate.token;

import dev.castgate.domain.GrantType;

/**
 * One grant type of the token endpoint. A handler never sees the HTTP context, never
 * authenticates the client, never mints and never writes a response: it validates the request
 * and says what to issue, or throws. {@link TokenIssuer} does the rest, the same for every grant.
 */
public sealed interface GrantHandler
        permits AuthorizationCodeGrantHandler, RefreshTokenGrantHandler, ClientCredentialsGrantHandler, PasswordGrantHandler,
                DeviceCodeGrantHandler {
    GrantType grantType();

    Issuance validate(TokenRequest request);
}
