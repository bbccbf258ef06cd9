package dev.castgate.login;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.UserId;
import dev.castgate.store.PasskeyStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenges a passkey signs (WebAuthn §13.4.3): 16 random bytes with what the challenge is
 * for, until when, and an HMAC (a key the nodes share) over those and over the account it is for
 * and the page's CSRF token, which is bound to the browser's session. So a sign-in page costs no
 * row; a challenge is refused after five minutes, in another browser, for another purpose or
 * account; and its SHA-256 is recorded when it is answered, right or wrong, so it is answered once
 * only, on every node.
 */
public final class PasskeyChallenges {
    /** How long a page's ceremony may take; also the timeout the browser is given. */
    public static final Duration TTL = Duration.ofMinutes(5);
    private static final String HMAC = "HmacSHA256";
    private static final int RANDOM = 16;
    private static final int LENGTH = 1 + Long.BYTES + RANDOM + 32;

    /** What a challenge is for. */
    public enum Purpose {
        /** Registering a passkey for the signed-in account. */
        REGISTER((byte) 'r'),
        /** Signing in with a passkey alone: no account is known yet. */
        SIGN_IN((byte) 'p'),
        /** The second step of a sign-in (or a step-up) of a known account. */
        SECOND_STEP((byte) 's');

        private final byte wire;

        Purpose(byte wire) { this.wire = wire; }
    }

    private final SecretKeySpec key;
    private final PasskeyStore store;
    private final RandomTokens random;
    private final Clock clock;

    /** {@code secret} is the HMAC key, shared by every node through the database. */
    public PasskeyChallenges(String secret, PasskeyStore store, RandomTokens random, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.store = store;
        this.random = random;
        this.clock = clock;
    }

    /** A new challenge for {@code purpose}, for the account (none for a sign-in without one) and the page's CSRF token. */
    public byte[] issue(Purpose purpose, Optional<UserId> userId, String csrfToken) {
        ByteBuffer body = ByteBuffer.allocate(LENGTH);
        body.put(purpose.wire).putLong(clock.instant().plus(TTL).toEpochMilli()).put(random.bytes(RANDOM));
        body.put(mac(Arrays.copyOf(body.array(), LENGTH - 32), userId, csrfToken));
        return body.array();
    }

    /**
     * Whether {@code challenge} is one this server made for this purpose, account and CSRF token,
     * unexpired, and not answered before; it counts as answered from now on.
     */
    public boolean consume(byte[] challenge, Purpose purpose, Optional<UserId> userId, String csrfToken) {
        if (challenge.length != LENGTH || challenge[0] != purpose.wire) return false;
        byte[] body = Arrays.copyOf(challenge, LENGTH - 32);
        if (!MessageDigest.isEqual(mac(body, userId, csrfToken), Arrays.copyOfRange(challenge, LENGTH - 32, LENGTH))) return false;
        Instant expires = Instant.ofEpochMilli(ByteBuffer.wrap(challenge, 1, Long.BYTES).getLong());
        if (!expires.isAfter(clock.instant())) return false;
        return store.useChallenge(HexFormat.of().formatHex(Hashes.sha256(challenge)), expires);
    }

    /** base64url without padding, as WebAuthn carries binary values in JSON. */
    public static String encode(byte[] bytes) { return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); }

    private byte[] mac(byte[] body, Optional<UserId> userId, String csrfToken) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(body);
            mac.update(("\n" + userId.map(UserId::value).orElse("") + "\n" + csrfToken).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
