package dev.castgate.registration;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3) of both registration
 * endpoints, and how a refusal of {@code ClientRegistrations} is told to the client.
 */
final class ClientInformation {
    /** Where a client's registration is read, replaced and deleted: {@code <issuer>/oauth2/register/<client_id>}. */
    static final String PATH = "/oauth2/register";

    private ClientInformation() {}

    /**
     * Every registered value. {@code secret} only when it was just made (Castgate keeps its hash
     * alone), and {@code registrationToken} likewise; {@code client_secret_expires_at} is 0 for
     * every web client: secrets do not expire.
     */
    static Map<String, Object> of(String issuer, Client client, ClientAuthMethod authMethod, Optional<String> secret,
                                  Optional<String> registrationToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", client.id().value());
        secret.ifPresent(s -> body.put("client_secret", s));
        body.put("client_id_issued_at", client.createdAt().getEpochSecond());
        // A private_key_jwt client holds no secret it could use, so there is none to expire.
        if (client.type().confidential() && authMethod != ClientAuthMethod.PRIVATE_KEY_JWT) body.put("client_secret_expires_at", 0);
        registrationToken.ifPresent(t -> body.put("registration_access_token", t));
        body.put("registration_client_uri", issuer + PATH + "/" + client.id().value());
        body.putAll(ClientMetadata.write(client, authMethod));
        return body;
    }

    /** The request for {@code ClientRegistrations}: nothing but what a client may choose for itself. */
    static ClientRegistrations.Request request(ClientMetadata.Registration r) {
        return new ClientRegistrations.Request(r.name(), r.authMethod().clientType(), r.redirectUris(), r.grantTypes(),
                Optional.of(r.scope()), Optional.empty(), Optional.empty(), r.idTokenAlgorithm(), r.accessTokenFormat(),
                r.accessTokenAlgorithm(), Optional.empty(), Client.Legacy.NONE, false, false, r.requirePushedAuthorizationRequests(),
                r.emailInIdToken(), r.requestObjects(), r.logout(), r.dpopBoundAccessTokens());
    }

    /**
     * RFC 7592 §2.2: every value the client may choose is replaced (left out, it takes its
     * default); what only an operator sets (owner, lifetimes, legacy behaviours) stays.
     */
    static ClientRegistrations.Changes changes(ClientMetadata.Registration r) {
        return new ClientRegistrations.Changes(Optional.of(r.name()), Optional.of(r.redirectUris()), Optional.of(r.grantTypes()),
                Optional.of(r.scope()), Optional.empty(), Optional.empty(), Optional.of(r.idTokenAlgorithm()),
                Optional.<AccessTokenFormat>of(r.accessTokenFormat()), Optional.of(r.accessTokenAlgorithm()), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(r.requirePushedAuthorizationRequests()), Optional.of(r.emailInIdToken()),
                Optional.of(r.requestObjects().requireSigned()), Optional.of(r.requestObjects().signingAlg()),
                Optional.of(r.logout().postLogoutRedirectUris()), Optional.of(r.logout().backchannelLogoutUri()),
                Optional.of(r.logout().backchannelLogoutSessionRequired()), Optional.of(r.dpopBoundAccessTokens()));
    }

    /** RFC 7591 §3.2.2: a refused redirect URI is invalid_redirect_uri, any other refused value invalid_client_metadata. */
    static OAuthException refused(AdminException e) {
        boolean redirectUri = e.key().filter(ClientRegistrations.REDIRECT_URI_REASON::equals).isPresent();
        return new OAuthException(redirectUri ? OAuthError.INVALID_REDIRECT_URI : OAuthError.INVALID_CLIENT_METADATA, e.getMessage());
    }
}
