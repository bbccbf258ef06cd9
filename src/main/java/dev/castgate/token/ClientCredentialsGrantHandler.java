package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.domain.AuditEvent;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.scope.ScopePolicy;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The client credentials grant (RFC 6749 §4.4): the client acts as its owner account, with the
 * scopes it is registered for. No refresh token (§4.4.3) and no ID token, since no person signed in.
 */
public final class ClientCredentialsGrantHandler implements GrantHandler {
    private final Transactions transactions;
    private final TokenIssuer issuer;
    private final RandomTokens random;
    private final AuditTrail audit;
    private final Clock clock;

    public ClientCredentialsGrantHandler(Transactions transactions, TokenIssuer issuer, RandomTokens random, AuditTrail audit, Clock clock) {
        this.transactions = transactions;
        this.issuer = issuer;
        this.random = random;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public GrantType grantType() { return GrantType.CLIENT_CREDENTIALS; }

    @Override
    public TokenResponse handle(TokenRequest request) {
        Form form = request.form();
        AuthenticatedClient authenticated = request.client();
        Client client = authenticated.client();
        if (!client.type().confidential()) {
            throw OAuthException.unauthorizedClient("a public client cannot use the client_credentials grant");
        }
        Scope scope = ScopePolicy.grantable(ScopePolicy.parse(form.optional("scope")), client);
        if (scope.contains(Scope.OPENID)) {
            throw OAuthException.invalidScope("openid needs a person to sign in; use the authorization code grant");
        }
        Optional<String> deviceName = DeviceNames.parse(form.optional("device_name"));
        Instant now = clock.instant();
        Grant grant = new Grant(random.hex40(), client.ownerId(), client.id(), scope, deviceName, now, now, Optional.empty());
        return transactions.inTransaction(tx -> {
            if (!tx.grants().insert(grant)) throw OAuthException.invalidClient("client authentication failed");
            tx.audit().record(audit.success(AuditEvent.Type.TOKEN_ISSUED).user(grant.userId()).client(client.id())
                    .address(request.remoteAddress()).detail("client_credentials"));
            return issuer.issue(tx, new TokenIssuer.Issue(client, grant, scope, request.format(), Optional.empty(),
                    new TokenIssuer.RefreshPlan.None(), Optional.empty()));
        });
    }
}
