package dev.castgate.clientauth;

import dev.castgate.clientauth.AuthenticatedClient.Method;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.Client;
import dev.castgate.domain.TokenHash;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client authentication for every client-facing endpoint (RFC 6749 §2.3):
 * {@code client_secret_basic} (Basic base64 of id:secret), the original service's form
 * (Basic followed by the raw 40-hex secret, with {@code client_id} in the body),
 * {@code client_secret_post}, {@code none} for native clients, which prove themselves with PKCE,
 * and a signed JWT, {@code private_key_jwt} or {@code client_secret_jwt} ({@link ClientAssertions}).
 * A client registered for a JWT proves itself with one alone: its secret, sent as it is, is refused.
 */
public final class ClientAuthenticator {
    private static final Pattern RAW_SECRET = Pattern.compile("[0-9a-f]{40}");
    private static final String FAILED = "client authentication failed";

    private final ClientLookup clients;
    private final ClientAssertions assertions;

    public ClientAuthenticator(ClientLookup clients, ClientAssertions assertions) {
        this.clients = clients;
        this.assertions = assertions;
    }

    public AuthenticatedClient authenticate(Context ctx, Form form) {
        Optional<String> bodyId = form.optional("client_id");
        Optional<String> bodySecret = form.optional("client_secret");
        String header = ctx.header("Authorization");
        Optional<String> assertionType = form.optional("client_assertion_type");
        Optional<String> assertion = form.optional("client_assertion");

        if (assertionType.isPresent() || assertion.isPresent()) {
            // RFC 6749 §2.3: a client uses one authentication method per request.
            if (header != null || bodySecret.isPresent()) throw OAuthException.invalidRequest("the client authenticated in more than one way");
            // RFC 7521 §4.2.1: an assertion type the server does not understand is invalid_client.
            if (!assertionType.map(ClientAssertions.JWT_BEARER::equals).orElse(false)) {
                throw OAuthException.invalidClient("client_assertion_type must be " + ClientAssertions.JWT_BEARER);
            }
            return assertions.authenticate(assertion.orElseThrow(() -> OAuthException.invalidRequest("client_assertion is missing")), bodyId);
        }

        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            // RFC 6749 §2.3: a client uses one authentication method per request.
            if (bodySecret.isPresent()) throw OAuthException.invalidRequest("the client secret was sent in more than one way");
            String credentials = header.substring(6).trim();
            if (RAW_SECRET.matcher(credentials).matches() && bodyId.isPresent()) {
                return verifySecret(bodyId.get(), credentials, Method.CLIENT_SECRET_BASIC_RAW);
            }
            String[] idAndSecret = decodeBasic(credentials);
            if (bodyId.isPresent() && !bodyId.get().equals(idAndSecret[0])) {
                throw OAuthException.invalidRequest("client_id in the body differs from the Authorization header");
            }
            return verifySecret(idAndSecret[0], idAndSecret[1], Method.CLIENT_SECRET_BASIC);
        }
        if (header != null) throw OAuthException.invalidClient("unsupported Authorization scheme for client authentication");

        String clientId = bodyId.orElseThrow(() -> OAuthException.invalidClient("no client authentication was sent"));
        if (bodySecret.isPresent()) return verifySecret(clientId, bodySecret.get(), Method.CLIENT_SECRET_POST);

        Client client = clients.find(clientId).orElseThrow(() -> OAuthException.invalidClient(FAILED));
        if (client.type().confidential()) throw OAuthException.invalidClient("the client must authenticate with its secret");
        return new AuthenticatedClient(client, Method.NONE);
    }

    private AuthenticatedClient verifySecret(String clientId, String secret, Method method) {
        Client client = clients.find(clientId).orElseThrow(() -> OAuthException.invalidClient(FAILED));
        TokenHash presented = Hashes.tokenHash(secret);
        boolean matches = client.secretHash().map(stored -> Hashes.constantTimeEquals(stored, presented)).orElse(false);
        if (!matches) throw OAuthException.invalidClient(FAILED);
        if (client.authMethod().jwt()) {
            throw OAuthException.invalidClient("the client is registered for " + client.authMethod().wireName() + ": it authenticates with a client assertion");
        }
        return new AuthenticatedClient(client, method);
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
    private static String[] decodeBasic(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) throw OAuthException.invalidClient("the Basic credentials are not client_id:client_secret");
        try {
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("the Basic credentials are not validly form-encoded");
        }
    }
}
