package dev.castgate.token;

import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The device code grant (RFC 8628 §3.4, §3.5): the device polls with its device code until the
 * person has decided on the /device page. Each poll within the interval is {@code slow_down} and
 * adds 5 seconds to that device code's interval, stored, so it holds on every node. An approved
 * code gets its tokens exactly once: one statement marks it issued.
 */
public final class DeviceCodeGrantHandler implements GrantHandler {
    /** RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
    static final int SLOW_DOWN_SECONDS = 5;
    private static final String INVALID = "the device code is invalid, was already used or was issued to another client";

    private final Transactions transactions;
    private final TokenIssuer issuer;
    private final AuditTrail audit;
    private final Clock clock;

    public DeviceCodeGrantHandler(Transactions transactions, TokenIssuer issuer, AuditTrail audit, Clock clock) {
        this.transactions = transactions;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public GrantType grantType() { return GrantType.DEVICE_CODE; }

    @Override
    public TokenResponse handle(TokenRequest request) {
        String hash = Hashes.sha256Hex(request.form().require("device_code"));
        Instant now = clock.instant();
        GrantOutcome outcome = transactions.inTransaction(tx -> {
            Optional<DeviceAuthorization> found = tx.deviceCodes().find(hash);
            if (found.isEmpty() || !found.get().clientId().equals(request.client().id())) {
                return failed(OAuthException.invalidGrant(INVALID));
            }
            DeviceAuthorization device = found.get();
            if (device.status() == DeviceAuthorization.Status.ISSUED) return failed(OAuthException.invalidGrant(INVALID));
            if (device.expired(now)) {
                return failed(new OAuthException(OAuthError.EXPIRED_TOKEN, "the device code has expired; start again"));
            }
            // The grown interval commits although the request fails: that is why a failure is returned, not thrown.
            if (!tx.deviceCodes().poll(hash, now, SLOW_DOWN_SECONDS)) {
                return failed(new OAuthException(OAuthError.SLOW_DOWN, "polling too fast; wait "
                        + (device.intervalSeconds() + SLOW_DOWN_SECONDS) + " seconds between requests"));
            }
            return switch (device.status()) {
                case PENDING -> failed(new OAuthException(OAuthError.AUTHORIZATION_PENDING, "the user has not yet decided"));
                case DENIED -> failed(new OAuthException(OAuthError.ACCESS_DENIED, "the user denied the request"));
                case ISSUED -> failed(OAuthException.invalidGrant(INVALID));
                case APPROVED -> issue(tx, request, device, now);
            };
        });
        return outcome.responseOrThrow();
    }

    private GrantOutcome issue(dev.castgate.store.Stores tx, TokenRequest request, DeviceAuthorization device, Instant now) {
        Grant grant = device.grantId().flatMap(id -> tx.grants().find(id)).filter(g -> g.revokedAt().isEmpty()).orElse(null);
        Optional<User> user = device.userId().flatMap(id -> tx.users().find(id));
        if (grant == null || user.isEmpty()) return failed(OAuthException.invalidGrant(INVALID));
        if (!tx.deviceCodes().markIssued(device.hash(), now)) return failed(OAuthException.invalidGrant(INVALID));
        Instant authTime = device.authTime().orElse(grant.authTime());
        Optional<TokenIssuer.IdTokenContext> idToken = grant.scope().contains(Scope.OPENID)
                ? Optional.of(new TokenIssuer.IdTokenContext(user.get(), authTime, Optional.empty()))
                : Optional.empty();
        tx.grants().markUsed(grant.id(), now);
        tx.audit().record(audit.success(AuditEvent.Type.TOKEN_ISSUED).user(grant.userId()).client(request.client().id())
                .address(request.remoteAddress()).detail("device_code"));
        TokenIssuer.RefreshPlan refresh = request.client().client().allows(GrantType.REFRESH_TOKEN)
                ? new TokenIssuer.RefreshPlan.Fresh() : new TokenIssuer.RefreshPlan.None();
        return new GrantOutcome.Issued(issuer.issue(tx, new TokenIssuer.Issue(request.client().client(), grant, grant.scope(),
                request.format(), Optional.of(authTime), refresh, idToken)));
    }

    private static GrantOutcome failed(OAuthException error) { return new GrantOutcome.Failed(error); }
}
