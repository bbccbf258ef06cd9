package dev.castgate.session;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Authentication;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.http.Cookies;
import dev.castgate.store.SessionStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sign-in: a random cookie value, its hash as the key of a server-side row, so a session
 * ends on every node the moment its row goes. SameSite=Lax, so the cookie comes along when a
 * client's link brings the person to the authorization endpoint.
 */
public record SessionService(SessionStore sessions, Cookies cookies, RandomTokens random, Clock clock, Duration ttl) {
    static final String COOKIE = "castgate_session";
    /** The session's hash once this response started or ended one, which the request's cookie no longer tells. */
    private static final String CHANGED = "castgate.session.changed";

    public Optional<Session> current(Context ctx) {
        String value = cookies.read(ctx, COOKIE);
        if (value == null || value.isEmpty() || value.length() > 100) return Optional.empty();
        return sessions.findActive(Hashes.tokenHash(value), clock.instant());
    }

    /**
     * Starts a new session, signed in {@code amr}, ending the one the browser had: a fresh value on
     * every sign-in prevents fixation.
     */
    public Session signIn(Context ctx, User user, Authentication amr) {
        Instant now = clock.instant();
        return replace(ctx, user.id(), now, now.plus(ttl), amr, random.hex40());
    }

    /**
     * The browser's session with the methods of a second step, once the person has taken a second step: it
     * keeps its sign-in time ({@code auth_time}) and expiry, under a new value, as a sign-in gets,
     * so a value known from before the step does not carry what it added.
     */
    public Session stepUp(Context ctx, Session session, Authentication step) {
        return replace(ctx, session.userId(), session.authTime(), session.expiresAt(), session.amr().with(step),
                session.sid().orElseGet(random::hex40));
    }

    /** A session under a new cookie value, in place of the browser's. */
    private Session replace(Context ctx, UserId userId, Instant authTime, Instant expiresAt, Authentication amr, String sid) {
        current(ctx).ifPresent(old -> sessions.delete(old.hash()));
        Instant now = clock.instant();
        String value = random.urlSafe256();
        Session session = new Session(Hashes.tokenHash(value), userId, authTime, expiresAt, amr, Optional.of(sid));
        sessions.insert(session, now);
        cookies.set(ctx, COOKIE, value, Duration.between(now, session.expiresAt()), "Lax");
        ctx.attribute(CHANGED, session.hash().value());
        return session;
    }

    public void signOut(Context ctx) {
        current(ctx).ifPresent(session -> sessions.delete(session.hash()));
        cookies.clear(ctx, COOKIE);
        ctx.attribute(CHANGED, "");
    }

    /**
     * What identifies this browser's session for the rest of this request, for binding form
     * tokens to it: the hash of its cookie, whether or not the session is still live (a form shown
     * and posted with the same cookie matches without a lookup), or empty without one.
     */
    String binding(Context ctx) {
        String changed = ctx.attribute(CHANGED);
        if (changed != null) return changed;
        String value = cookies.read(ctx, COOKIE);
        return value == null || value.isEmpty() || value.length() > 100 ? "" : Hashes.sha256Hex(value);
    }
}
