package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One authorization a user (or, for client credentials, a client's owner) gave a client: every
 * code, access token and refresh token carries its grant id, so ending a grant is one statement.
 * {@code amr} and {@code acr} describe the sign-in behind it, for every ID token its tokens bring
 * (OIDC Core §2); empty where no person signed in, and for grants stored before they were kept.
 * {@code claims}: the person claims its authorization request named ({@link ClaimsRequest}).
 * {@code resources}: the resources its request named (RFC 8707), which its access tokens are for.
 * {@code sid}: the browser session it was given in ({@link Session#sid}), for its ID tokens' {@code sid}
 * and for the clients to tell when that session ends (Back-Channel Logout §2.1); empty without one.
 */
public record Grant(
        GrantId id,
        Optional<UserId> userId,
        ClientId clientId,
        Scope scope,
        Optional<String> deviceName,
        Instant authTime,
        Instant createdAt,
        Optional<Instant> revokedAt,
        Optional<Authentication> amr,
        Optional<AuthenticationLevel> acr,
        ClaimsRequest claims,
        Audience resources,
        Optional<String> sid) {

    /** A grant given outside a browser session, or before sessions were named. */
    public Grant(GrantId id, Optional<UserId> userId, ClientId clientId, Scope scope, Optional<String> deviceName, Instant authTime,
                 Instant createdAt, Optional<Instant> revokedAt, Optional<Authentication> amr, Optional<AuthenticationLevel> acr,
                 ClaimsRequest claims, Audience resources) {
        this(id, userId, clientId, scope, deviceName, authTime, createdAt, revokedAt, amr, acr, claims, resources, Optional.empty());
    }

    /** A grant whose request named no resources, given in the browser session {@code sid}. */
    public Grant(GrantId id, Optional<UserId> userId, ClientId clientId, Scope scope, Optional<String> deviceName, Instant authTime,
                 Instant createdAt, Optional<Instant> revokedAt, Optional<Authentication> amr, Optional<AuthenticationLevel> acr,
                 ClaimsRequest claims, Optional<String> sid) {
        this(id, userId, clientId, scope, deviceName, authTime, createdAt, revokedAt, amr, acr, claims, Audience.DEFAULT, sid);
    }

    /** A grant no person signed in for (client credentials). */
    public Grant(GrantId id, Optional<UserId> userId, ClientId clientId, Scope scope, Optional<String> deviceName, Instant authTime,
                 Instant createdAt, Optional<Instant> revokedAt) {
        this(id, userId, clientId, scope, deviceName, authTime, createdAt, revokedAt, Optional.empty(), Optional.empty());
    }

    /** A grant whose request named no claims. */
    public Grant(GrantId id, Optional<UserId> userId, ClientId clientId, Scope scope, Optional<String> deviceName, Instant authTime,
                 Instant createdAt, Optional<Instant> revokedAt, Optional<Authentication> amr, Optional<AuthenticationLevel> acr) {
        this(id, userId, clientId, scope, deviceName, authTime, createdAt, revokedAt, amr, acr, ClaimsRequest.NONE);
    }

    /** A grant whose request named no resources, given outside a browser session. */
    public Grant(GrantId id, Optional<UserId> userId, ClientId clientId, Scope scope, Optional<String> deviceName, Instant authTime,
                 Instant createdAt, Optional<Instant> revokedAt, Optional<Authentication> amr, Optional<AuthenticationLevel> acr,
                 ClaimsRequest claims) {
        this(id, userId, clientId, scope, deviceName, authTime, createdAt, revokedAt, amr, acr, claims, Audience.DEFAULT, Optional.empty());
    }

    /** The same grant for {@code named} resources (RFC 8707), with {@code narrowed} scope. */
    public Grant forResources(Audience named, Scope narrowed) {
        return new Grant(id, userId, clientId, narrowed, deviceName, authTime, createdAt, revokedAt, amr, acr, claims, named, sid);
    }
}
