package dev.castgate.device;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.config.ServerConfig.DeviceConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.QueryStrings;
import dev.castgate.protocol.DeviceNames;
import dev.castgate.scope.ScopePolicy;
import dev.castgate.store.DeviceCodeStore;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * POST /oauth2/device_authorization (RFC 8628 §3.1, §3.2). The client authenticates as at the
 * token endpoint (a native client with its client_id alone) and must be registered for the device
 * code grant. The device code (160 bits) and the user code are stored as hashes only. Each
 * request stores a row, so requests are limited per address and per client in fixed windows:
 * past either limit the answer is 429 with Retry-After and the error {@code temporarily_unavailable}
 * (RFC 6749 §4.1.2.1; RFC 8628's {@code slow_down} is the token endpoint's).
 */
public final class DeviceAuthorizationEndpoint {
    /** Drawing a taken code twice in a row is all but impossible; a third failure means the client is gone. */
    private static final int ATTEMPTS = 3;

    private final DeviceCodeStore deviceCodes;
    private final Transactions transactions;
    private final RandomTokens random;
    private final Clock clock;
    private final DeviceConfig config;
    private final Duration window;
    private final String verificationUri;

    public DeviceAuthorizationEndpoint(DeviceCodeStore deviceCodes, Transactions transactions, RandomTokens random, Clock clock,
                                       DeviceConfig config, Duration window, String issuer) {
        this.deviceCodes = deviceCodes;
        this.transactions = transactions;
        this.window = window;
        this.random = random;
        this.clock = clock;
        this.config = config;
        this.verificationUri = issuer + "/device";
    }

    /** The form is parsed and the client authenticated by the router, as the route declares. */
    public void handle(Context ctx, Form form, AuthenticatedClient client) {
        client.requireGrantType(GrantType.DEVICE_CODE);
        Scope scope = ScopePolicy.grantable(ScopePolicy.parse(form.optional("scope")), client.client());
        Optional<String> deviceName = DeviceNames.parse(form.optional("device_name"));
        if (limited(ctx, client)) return;
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.codeTtl());

        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String deviceCode = random.hex40();
            String userCode = UserCodes.generate(random);
            DeviceAuthorization request = new DeviceAuthorization(Hashes.tokenHash(deviceCode), UserCodes.hash(userCode), client.id(),
                    scope, deviceName, DeviceAuthorization.Status.PENDING, Optional.empty(), Optional.empty(), Optional.empty(),
                    config.intervalSeconds(), Optional.empty(), now, expiresAt);
            DeviceCodeStore.Insertion inserted = deviceCodes.insert(request);
            if (inserted == DeviceCodeStore.Insertion.CLIENT_GONE) break;
            if (inserted == DeviceCodeStore.Insertion.INSERTED) {
                String shown = UserCodes.display(userCode);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("device_code", deviceCode);
                body.put("user_code", shown);
                body.put("verification_uri", verificationUri);
                body.put("verification_uri_complete", QueryStrings.appendTo(verificationUri, Map.of("user_code", shown)));
                body.put("expires_in", config.codeTtl().toSeconds());
                body.put("interval", config.intervalSeconds());
                Json.respond(ctx, 200, body);
                return;
            }
        }
        // The client was removed while this node still had it cached (or every draw collided).
        throw OAuthException.invalidClient("client authentication failed");
    }

    /**
     * Counts the request under its address and, while the address is within its limit, under its
     * client (so one address cannot use up a public client's limit); answers 429 past either.
     */
    private boolean limited(Context ctx, AuthenticatedClient client) {
        long length = window.toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, length);
        long end = start + length;
        boolean exceeded = transactions.inTransaction(tx ->
                tx.rateLimits().hit("device-authorization-address:" + ctx.ip(), start, end) > config.maxAuthorizationsPerAddress()
                        || tx.rateLimits().hit("device-authorization-client:" + client.id().value(), start, end)
                        > config.maxAuthorizationsPerClient());
        if (!exceeded) return false;
        ctx.header("Retry-After", Long.toString(Math.max(1, (end - now + 999) / 1000)));
        Json.respond(ctx, 429, Map.of("error", "temporarily_unavailable",
                "error_description", "too many device authorization requests; try again after the time in Retry-After"));
        return true;
    }
}
