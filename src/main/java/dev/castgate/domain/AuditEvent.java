package dev.castgate.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One security event: what happened, when, to whom, through which client, from where, and
 * whether it succeeded. Never holds a secret, a token or a password.
 */
public record AuditEvent(
        String id,
        Instant at,
        Type type,
        Outcome outcome,
        Optional<UserId> userId,
        Optional<ClientId> clientId,
        Optional<String> address,
        Optional<String> detail) {

    /**
     * The kinds of event the trail records. {@code TOKEN_ISSUED} and {@code TOKEN_REFRESHED} are no
     * longer recorded (a token's own row is the record of its issuance); they stay so that events
     * an earlier version wrote can still be read until housekeeping ages them out.
     */
    public enum Type {
        LOGIN, LOGIN_THROTTLED, SIGN_OUT, SIGN_UP, CONSENT, TOKEN_ISSUED, TOKEN_REFRESHED, TOKEN_REVOKED,
        REFRESH_REUSE_DETECTED, CODE_REPLAY_DETECTED, GRANT_REVOKED, PASSWORD_CHANGED, PROFILE_CHANGED,
        CLIENT_CREATED, CLIENT_UPDATED, CLIENT_REMOVED, USER_CREATED, USER_UPDATED, USER_DISABLED, USER_ENABLED, USER_REMOVED,
        CHANNEL_KEY_ROTATED, DEVICE_PASSWORD_CREATED, DEVICE_PASSWORD_REMOVED, PUBLISH_REFUSED,
        EMAIL_CHANGE_REQUESTED, EMAIL_VERIFICATION_SENT, EMAIL_VERIFIED, PASSWORD_RESET_REQUESTED, PASSWORD_RESET,
        /** The second step of a sign-in: a TOTP or recovery code given, right or wrong. */
        SECOND_FACTOR, SECOND_FACTOR_ENABLED, SECOND_FACTOR_DISABLED, RECOVERY_CODES_CREATED,
        /** A signing key added, by an operator or by automatic rotation; the detail names its kid and when it signs from. */
        SIGNING_KEY_ROTATED,
        /** A signing key no longer published, by an operator or by housekeeping once its tokens expired. */
        SIGNING_KEY_RETIRED,
        /** A passkey registered, removed (by its owner or an operator), or used to sign in or as the second step, right or wrong. */
        PASSKEY_REGISTERED, PASSKEY_REMOVED, PASSKEY_SIGN_IN,
        /** An initial access token for dynamic client registration made or revoked by an operator; the detail names its id. */
        REGISTRATION_TOKEN_CREATED, REGISTRATION_TOKEN_REVOKED,
        /** A resource server registered or removed by an operator for resource indicators (RFC 8707); the detail names its URI. */
        RESOURCE_ADDED, RESOURCE_REMOVED,
        /** A logout token delivered to a client's back-channel logout URI, or given up (the detail says why). */
        BACKCHANNEL_LOGOUT;

        /** The event's name wherever an operator reads it (the tool, the metrics, the README): {@code client_updated}. */
        public String wireName() { return name().toLowerCase(Locale.ROOT); }
    }

    public enum Outcome {
        SUCCESS, FAILURE;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }
    }

    public static AuditEvent of(String id, Instant at, Type type, Outcome outcome) {
        return new AuditEvent(id, at, type, outcome, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public AuditEvent user(UserId value) { return new AuditEvent(id, at, type, outcome, Optional.ofNullable(value), clientId, address, detail); }

    public AuditEvent user(Optional<UserId> value) { return new AuditEvent(id, at, type, outcome, value, clientId, address, detail); }

    public AuditEvent client(ClientId value) { return new AuditEvent(id, at, type, outcome, userId, Optional.ofNullable(value), address, detail); }

    public AuditEvent address(String value) { return new AuditEvent(id, at, type, outcome, userId, clientId, Optional.ofNullable(value), detail); }

    public AuditEvent detail(String value) { return new AuditEvent(id, at, type, outcome, userId, clientId, address, Optional.ofNullable(value)); }
}
