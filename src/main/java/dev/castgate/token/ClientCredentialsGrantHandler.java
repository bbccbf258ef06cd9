package dev.castgate.token;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthException;
import dev.castgate.protocol.DeviceNames;
import dev.castgate.scope.ScopePolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The client credentials grant (RFC 6749 §4.4): the client acts as its owner account, with the
 * scopes it is registered for, and an admin client also with {@code admin} when it asks. No refresh token (§4.4.3) and no ID token, since no person signed in.
 * Two rows per token: the grant and the access token.
 */
public record ClientCredentialsGrantHandler(RandomTokens random, Clock clock) implements GrantHandler {
    @Override
    public GrantType grantType() { return GrantType.CLIENT_CREDENTIALS; }

    @Override
    public Issuance validate(TokenRequest request) {
        Client client = request.client().client();
        if (!client.type().confidential()) {
            throw OAuthException.unauthorizedClient("a public client cannot use the client_credentials grant");
        }
        Scope scope = ScopePolicy.grantable(ScopePolicy.parse(request.form().optional("scope")), client, GrantType.CLIENT_CREDENTIALS);
        if (scope.contains(Scope.OPENID)) {
            throw OAuthException.invalidScope("openid needs a person to sign in; use the authorization code grant");
        }
        Optional<String> deviceName = DeviceNames.parse(request.form().optional("device_name"));
        Instant now = clock.instant();
        Grant grant = new Grant(new GrantId(random.sortableHex40(now)), client.ownerId(), client.id(), scope, deviceName, now, now, Optional.empty());
        return Issuance.newGrant(client, grant, request.format(), Optional.empty(), new Issuance.RefreshPlan.None());
    }
}
