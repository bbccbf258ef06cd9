package dev.castgate.dpop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §8 and §9), kept nowhere: a nonce is the number of the
 * period it was made in with an HMAC of that number under a secret every node shares, so any node
 * accepts any node's nonce, and nothing is stored per client. A nonce is good in its own period and
 * the next one, so one handed out just before a period ends still lasts a full period.
 */
final class DpopNonces {
    static final Duration PERIOD = Duration.ofMinutes(1);
    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;

    DpopNonces(String secret, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), HMAC);
        this.clock = clock;
    }

    /** The nonce a client is given now. */
    String current() { return encode(period()); }

    /** Whether {@code nonce} was made by a node of this server in this period or the one before. */
    boolean valid(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != Long.BYTES + MAC_BYTES) return false;
        long made = ByteBuffer.wrap(raw).getLong();
        long now = period();
        if (made != now && made != now - 1) return false;
        return MessageDigest.isEqual(Arrays.copyOfRange(raw, Long.BYTES, raw.length), mac(made));
    }

    private long period() { return clock.millis() / PERIOD.toMillis(); }

    private String encode(long period) {
        return ENCODER.encodeToString(ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(period).put(mac(period)).array());
    }

    private byte[] mac(long period) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(("dpop-nonce:" + period).getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
