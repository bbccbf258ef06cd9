package dev.castgate.clientauth;

import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.GrantType;
import dev.castgate.error.OAuthException;

/** A client whose identity the request proved, and how. */
public record AuthenticatedClient(Client client, Method method) {
    /** Client authentication methods (RFC 6749 §2.3, RFC 7591 §2, RFC 7523 §2.2), plus the original service's form. */
    public enum Method {
        CLIENT_SECRET_BASIC, CLIENT_SECRET_BASIC_RAW, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, CLIENT_SECRET_JWT, NONE
    }

    public ClientId id() { return client.id(); }

    /** RFC 6749 §5.2: a client may use only the grant types it is registered for. */
    public void requireGrantType(GrantType type) {
        if (!client.allows(type)) {
            throw OAuthException.unauthorizedClient("the client is not allowed to use the " + type.wireName() + " grant");
        }
    }
}
