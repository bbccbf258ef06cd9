package dev.castgate.interaction;

import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What carries a sign-in from its password to its second step without a session: a field of the
 * code form that says whose password was right, for which step, until when, under an HMAC (a key
 * the nodes share) that also covers the account's password hash and the page's CSRF token. So it
 * is refused after five minutes, in another browser or session (the CSRF token is bound to both),
 * and once the password has changed; and no session exists until the code is right.
 */
public final class SecondStepTokens {
    /** The form field that carries it. */
    static final String FIELD = "second_step";
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String HMAC = "HmacSHA256";
    private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{40})\\.([su])\\.([0-9]{1,15})\\.([A-Za-z0-9_-]{43})");

    /** Which second step: after a password just given, or for a session signed in with a password only. */
    enum Kind {
        SIGN_IN("s"), STEP_UP("u");

        private final String wire;

        Kind(String wire) { this.wire = wire; }

        static Kind of(String wire) { return wire.equals("s") ? SIGN_IN : STEP_UP; }
    }

    /** An opened token: whose second step, and which. */
    record Opened(UserId userId, Kind kind) {}

    private final SecretKeySpec key;
    private final Clock clock;

    /** {@code secret} is the HMAC key, shared by every node through the database. */
    public SecondStepTokens(String secret, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
    }

    /** A token for {@code user}'s second step, for the form about to be shown with {@code csrfToken}. */
    String issue(User user, Kind kind, String csrfToken) {
        String body = user.id().value() + "." + kind.wire + "." + clock.instant().plus(TTL).toEpochMilli();
        return body + "." + mac(body, user, csrfToken);
    }

    /** Whose the token is, if well-formed and unexpired; {@link #verify} then checks it against that account. */
    Optional<Opened> open(String token) {
        Matcher m = FORMAT.matcher(token);
        if (!m.matches() || Instant.ofEpochMilli(Long.parseLong(m.group(3))).isBefore(clock.instant())) return Optional.empty();
        return Optional.of(new Opened(new UserId(m.group(1)), Kind.of(m.group(2))));
    }

    /** Whether {@code token} was issued for this account, with its current password, and the form's CSRF token. */
    boolean verify(String token, User user, String csrfToken) {
        int last = token.lastIndexOf('.');
        return last > 0 && MessageDigest.isEqual(mac(token.substring(0, last), user, csrfToken).getBytes(StandardCharsets.US_ASCII),
                token.substring(last + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String body, User user, String csrfToken) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((body + "\n" + user.passwordHash() + "\n" + csrfToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
