package dev.castgate.token;

import dev.castgate.crypto.Hashes;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import dev.castgate.token.Consumption.Consumed;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The device code grant (RFC 8628 §3.4, §3.5): the device polls with its device code until the
 * person has decided on the /device page. Each poll within the interval is {@code slow_down} and
 * adds 5 seconds to that device code's interval, stored, so it holds on every node. An approved
 * code gets its tokens exactly once: one statement marks it issued, in the transaction that
 * stores them.
 */
public record DeviceCodeGrantHandler(Stores stores, Transactions transactions, Clock clock) implements GrantHandler {
    /** RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
    static final int SLOW_DOWN_SECONDS = 5;
    private static final String INVALID = "the device code is invalid, was already used or was issued to another client";

    @Override
    public GrantType grantType() { return GrantType.DEVICE_CODE; }

    @Override
    public Issuance validate(TokenRequest request) {
        TokenHash hash = Hashes.tokenHash(request.form().require("device_code"));
        Instant now = clock.instant();
        DeviceAuthorization device = stores.deviceCodes().find(hash)
                .filter(found -> found.clientId().equals(request.client().id()))
                .orElseThrow(() -> OAuthException.invalidGrant(INVALID));
        if (device.status() == DeviceAuthorization.Status.ISSUED) throw OAuthException.invalidGrant(INVALID);
        if (device.expired(now)) throw new OAuthException(OAuthError.EXPIRED_TOKEN, "the device code has expired; start again");
        if (device.status() != DeviceAuthorization.Status.APPROVED) {
            // The poll is recorded although the request fails: a grown interval must hold.
            boolean waited = transactions.inTransaction(tx -> tx.deviceCodes().poll(hash, now, SLOW_DOWN_SECONDS));
            if (!waited) throw slowDown(device);
            throw device.status() == DeviceAuthorization.Status.DENIED
                    ? new OAuthException(OAuthError.ACCESS_DENIED, "the user denied the request")
                    : new OAuthException(OAuthError.AUTHORIZATION_PENDING, "the user has not yet decided");
        }
        Grant grant = device.grantId().flatMap(stores.grants()::find).filter(g -> g.revokedAt().isEmpty())
                .orElseThrow(() -> OAuthException.invalidGrant(INVALID));
        User user = device.userId().flatMap(stores.users()::find).orElseThrow(() -> OAuthException.invalidGrant(INVALID));
        Instant authTime = device.authTime().orElse(grant.authTime());
        Consumption consumes = (tx, at) -> {
            if (!tx.deviceCodes().poll(hash, at, SLOW_DOWN_SECONDS)) return new Consumed.Refused(slowDown(device));
            if (!tx.deviceCodes().markIssued(hash, at)) return new Consumed.Refused(OAuthException.invalidGrant(INVALID));
            return new Consumed.Proceed();
        };
        return Issuance.existingGrant(request.client().client(), grant, grant.scope(), request.format(),
                Optional.of(new Issuance.SignIn(user, authTime, Optional.empty())), new Issuance.RefreshPlan.New(), consumes);
    }

    private static OAuthException slowDown(DeviceAuthorization device) {
        return new OAuthException(OAuthError.SLOW_DOWN, "polling too fast; wait "
                + (device.intervalSeconds() + SLOW_DOWN_SECONDS) + " seconds between requests");
    }
}
