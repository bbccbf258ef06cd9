package dev.castgate.registration;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.RegistrationConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * POST /oauth2/register (RFC 7591 §3): a client registers itself with an initial access token an
 * operator made, or with none where {@code registration.open} is on. It goes through
 * {@link ClientRegistrations}, so it passes every check a client the operator adds passes, and
 * the ones only a client that registers itself meets. The new client, the use of the initial
 * access token and the registration access token are one transaction: a refused registration
 * uses nothing up. Every request counts against its address, tokens or not, so neither open
 * registration nor guessing at tokens can fill the database.
 */
public final class RegistrationEndpoint {
    /** Said alike of a token that never was, expired, was used up or was revoked (RFC 6750 §3.1). */
    static final String INVALID_INITIAL_TOKEN = "the initial access token is invalid, expired, used up or revoked";

    private final Transactions transactions;
    private final Stores stores;
    private final RegistrationTokens initialTokens;
    private final AuditTrail audit;
    private final RandomTokens random;
    private final Clock clock;
    private final RegistrationConfig config;
    private final Duration window;
    private final String issuer;
    private final ClientRegistrations.SecretSealer sealer;

    public RegistrationEndpoint(Transactions transactions, Stores stores, AuditTrail audit, RandomTokens random, Clock clock,
                                RegistrationConfig config, Duration window, String issuer, ClientRegistrations.SecretSealer sealer) {
        this.sealer = sealer;
        this.transactions = transactions;
        this.stores = stores;
        this.initialTokens = new RegistrationTokens(stores, random, clock);
        this.audit = audit;
        this.random = random;
        this.clock = clock;
        this.config = config;
        this.window = window;
        this.issuer = issuer;
    }

    public void register(Context ctx) {
        if (limited(ctx)) return;
        Optional<TokenHash> initialToken = initialToken(ctx);
        ClientMetadata.Registration metadata = ClientMetadata.parse(JsonBody.parseObject(ctx));
        String accessToken = random.hex40();
        ClientRegistrations.Registered registered;
        try {
            registered = transactions.inTransaction(tx -> {
                ClientRegistrations registrations = new ClientRegistrations(tx, random, clock, issuer);
                ClientRegistrations.Via via = ClientRegistrations.Via.selfRegistration(ctx.ip());
                ClientRegistrations.Registered r = registrations.register(ClientInformation.request(metadata), via);
                if (metadata.authMethod().jwt()) r = registrations.authenticateWith(r.client().id(), metadata.authentication(), sealer, via);
                if (initialToken.isPresent() && !initialTokens.consume(tx.registrationTokens(), initialToken.get())) {
                    throw OAuthException.invalidToken(INVALID_INITIAL_TOKEN); // its last use went to another registration
                }
                tx.clientRegistrations().insert(new ClientRegistration(r.client().id(), Hashes.tokenHash(accessToken),
                        metadata.authMethod(), clock.instant()));
                return r;
            });
        } catch (AdminException e) {
            throw ClientInformation.refused(e);
        }
        Json.respond(ctx, 201, ClientInformation.of(issuer, registered.client(), metadata.authMethod(), registered.secret(),
                Optional.of(accessToken)));
    }

    /**
     * The initial access token's hash, or empty where registration is open and none was sent
     * (RFC 7591 §3: a token the server requires and does not get is answered as RFC 6750 says).
     * A token that is sent is checked even where registration is open.
     */
    private Optional<TokenHash> initialToken(Context ctx) {
        Optional<String> presented = BearerToken.findInHeader(ctx);
        if (presented.isEmpty()) {
            if (config.open()) return Optional.empty();
            throw OAuthException.invalidToken("an initial access token is required");
        }
        Optional<TokenHash> usable = initialTokens.findUsable(presented.get());
        if (usable.isEmpty()) {
            stores.audit().record(audit.failure(AuditEvent.Type.CLIENT_CREATED).address(ctx.ip())
                    .detail("self-registration refused: " + INVALID_INITIAL_TOKEN));
            throw OAuthException.invalidToken(INVALID_INITIAL_TOKEN);
        }
        return usable;
    }

    /** Counts the request under its address; past the limit answers 429 with Retry-After, as the device endpoint does. */
    private boolean limited(Context ctx) {
        long length = window.toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, length);
        long end = start + length;
        boolean exceeded = transactions.inTransaction(tx ->
                tx.rateLimits().hit("registration-address:" + ctx.ip(), start, end) > config.maxRequestsPerAddress());
        if (!exceeded) return false;
        ctx.header("Retry-After", Long.toString(Math.max(1, (end - now + 999) / 1000)));
        Json.respond(ctx, 429, Map.of("error", "temporarily_unavailable",
                "error_description", "too many registration requests; try again after the time in Retry-After"));
        return true;
    }
}
