package dev.castgate.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientRegistration;
import dev.castgate.domain.TokenHash;
import dev.castgate.error.OAuthException;
import dev.castgate.http.BearerToken;
import dev.castgate.http.Json;
import dev.castgate.http.JsonBody;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The client configuration endpoint (RFC 7592) at {@code /oauth2/register/{client_id}}: a
 * self-registered client reads (GET), replaces (PUT) or deletes (DELETE) its registration with
 * its registration access token. A token that is missing, wrong, another client's, or for a
 * client that does not exist, is answered alike, 401 {@code invalid_token} (§2.1: nothing says
 * whether the client exists). Each successful PUT replaces the token and returns the new one, so a
 * copy of the old one stops working; a DELETE takes the token with the client.
 */
public final class ClientConfigurationEndpoint {
    static final String INVALID_TOKEN = "the registration access token is invalid";

    /** RFC 7592 §2.2: members the server issues, which a replacement must not carry. */
    private static final List<String> SERVER_MEMBERS = List.of("registration_access_token", "registration_client_uri",
            "client_id_issued_at", "client_secret_expires_at");

    private final Transactions transactions;
    private final Stores stores;
    private final ClientLookup lookup;
    private final RandomTokens random;
    private final Clock clock;
    private final String issuer;
    private final ClientRegistrations.SecretSealer sealer;

    public ClientConfigurationEndpoint(Transactions transactions, Stores stores, ClientLookup lookup, RandomTokens random, Clock clock,
                                       String issuer, ClientRegistrations.SecretSealer sealer) {
        this.sealer = sealer;
        this.transactions = transactions;
        this.stores = stores;
        this.lookup = lookup;
        this.random = random;
        this.clock = clock;
        this.issuer = issuer;
    }

    /** The registration and its client, once the token is proved. */
    private record Authorized(ClientRegistration registration, Client client) {}

    /** RFC 7592 §2.1: the current registration, without the secret, which Castgate keeps only as a hash. */
    public void read(Context ctx) {
        Authorized a = authorize(ctx, stores);
        Json.respond(ctx, 200, ClientInformation.of(issuer, a.client(), a.registration().authMethod(), Optional.empty(), Optional.empty()));
    }

    /** RFC 7592 §2.2: replaces every value the client may choose, through the checks of an update. */
    public void replace(Context ctx) {
        Authorized before = authorize(ctx, stores);
        ObjectNode body = JsonBody.parseObject(ctx);
        checkReplacement(body, before.client());
        ClientMetadata.Registration metadata = ClientMetadata.parse(body);
        if (metadata.authMethod().clientType() != before.client().type()) {
            throw ClientMetadata.invalid("token_endpoint_auth_method cannot change between none and a secret; register a new client instead");
        }
        String nextToken = random.hex40();
        ClientRegistrations.Registered after;
        try {
            after = transactions.inTransaction(tx -> {
                ClientRegistrations registrations = new ClientRegistrations(tx, random, clock, issuer);
                ClientRegistrations.Via via = ClientRegistrations.Via.selfRegistration(ctx.ip());
                Client changed = registrations.update(before.client().id(), ClientInformation.changes(metadata), via);
                // A new method, or new keys, change how it authenticates; a new secret is in this answer alone.
                boolean sameWay = !metadata.authMethod().jwt() && !changed.authMethod().jwt()
                        || metadata.authentication().equals(authentication(changed));
                ClientRegistrations.Registered updated = sameWay
                        ? new ClientRegistrations.Registered(changed, Optional.empty())
                        : registrations.authenticateWith(changed.id(), metadata.authentication(), sealer, via);
                // Only while the token is still the one proved: of two replacements made with it, one wins.
                if (!tx.clientRegistrations().rotate(updated.client().id(), before.registration().accessTokenHash(), Hashes.tokenHash(nextToken),
                        metadata.authMethod())) {
                    throw OAuthException.invalidToken(INVALID_TOKEN);
                }
                return updated;
            });
        } catch (AdminException e) {
            throw ClientInformation.refused(e);
        }
        lookup.forget(after.client().id());
        Json.respond(ctx, 200, ClientInformation.of(issuer, after.client(), metadata.authMethod(), after.secret(), Optional.of(nextToken)));
    }

    /** How the client authenticates now, as a registration would ask for it (a secret method as either of its names). */
    private static ClientRegistrations.Authentication authentication(Client client) {
        return client.jwtAuth().map(j -> new ClientRegistrations.Authentication(j.method(), j.jwks(), j.jwksUri()))
                .orElse(ClientRegistrations.Authentication.of(client.authMethod()));
    }

    /** RFC 7592 §2.3: the client goes, with its grants, tokens and registration access token. */
    public void delete(Context ctx) {
        ClientId id = transactions.inTransaction(tx -> {
            Authorized a = authorize(ctx, tx);
            new ClientRegistrations(tx, random, clock, issuer).remove(a.client().id(), ClientRegistrations.Via.selfRegistration(ctx.ip()));
            return a.client().id();
        });
        lookup.forget(id);
        ctx.status(204);
    }

    private Authorized authorize(Context ctx, Stores in) {
        ClientId id = new ClientId(ctx.pathParam("client_id"));
        String presented = BearerToken.findInHeader(ctx).orElseThrow(() -> OAuthException.invalidToken("a registration access token is required"));
        TokenHash hash = Hashes.tokenHash(presented);
        return in.clientRegistrations().find(id)
                .filter(r -> Hashes.constantTimeEquals(r.accessTokenHash(), hash))
                .flatMap(r -> in.clients().find(id).map(c -> new Authorized(r, c)))
                .orElseThrow(() -> OAuthException.invalidToken(INVALID_TOKEN));
    }

    /**
     * RFC 7592 §2.2: the body names this client, repeats its secret right if at all, and carries
     * none of the values only the server issues.
     */
    private static void checkReplacement(ObjectNode body, Client client) {
        JsonNode clientId = body.get("client_id");
        if (clientId == null || !clientId.isTextual() || !clientId.textValue().equals(client.id().value())) {
            throw ClientMetadata.invalid("client_id must be given and be this client's");
        }
        for (String member : SERVER_MEMBERS) {
            if (body.has(member)) throw ClientMetadata.invalid(member + " is issued by the server and must not be sent");
        }
        JsonNode secret = body.get("client_secret");
        if (secret != null) {
            boolean matches = secret.isTextual() && client.secretHash()
                    .map(stored -> Hashes.constantTimeEquals(stored, Hashes.tokenHash(secret.textValue()))).orElse(false);
            if (!matches) throw ClientMetadata.invalid("client_secret does not match the client's secret");
        }
    }
}
