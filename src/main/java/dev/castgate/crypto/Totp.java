package dev.castgate.crypto;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time passwords (RFC 6238) as every authenticator app computes them by default:
 * HMAC-SHA1, 30-second steps counted from the epoch, six digits (RFC 4226 §5.3's truncation), and
 * a 160-bit secret (RFC 4226 §4 recommends at least that) exchanged in base32 (RFC 4648 §6).
 */
public final class Totp {
    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int DIGITS = 6;
    /** 160 bits, the length of an HMAC-SHA1 output. */
    private static final int SECRET_BYTES = 20;
    /**
     * Codes of the step before and after the current one are accepted too (RFC 6238 §5.2 allows
     * one step of delay), so a code typed at the end of its step or from a clock a little off works.
     */
    private static final int WINDOW = 1;
    private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");
    private static final Pattern SECRET = Pattern.compile("[A-Z2-7]{32}");

    private Totp() {}

    /** A new secret, in base32 as authenticator apps take it: 32 upper-case characters, no padding. */
    public static String newSecret(RandomTokens random) {
        return Base32.toBase32String(random.bytes(SECRET_BYTES));
    }

    /** Whether {@code secret} is a secret {@link #newSecret} makes. */
    public static boolean wellFormedSecret(String secret) { return SECRET.matcher(secret).matches(); }

    /** The time step an instant falls in (RFC 6238 §4.2, T0 = 0). */
    public static long step(Instant at) { return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds()); }

    /** What a person types, with the spaces some apps show between the digits taken out. */
    public static String normalise(String typed) { return typed.replace(" ", "").strip(); }

    /** Whether a typed value (normalised) has the shape of a code at all. */
    public static boolean looksLikeCode(String typed) { return CODE.matcher(typed).matches(); }

    /**
     * The step, among the current one and its neighbours, whose code {@code typed} is; empty when
     * it is none of them. Every candidate is computed and compared in constant time, so the
     * answer's timing does not tell which step was close.
     */
    public static OptionalLong matchingStep(String secret, String typed, Instant now) {
        byte[] key = Base32.decode(secret.toUpperCase(Locale.ROOT));
        byte[] given = typed.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long found = -1;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            if (MessageDigest.isEqual(code(key, step).getBytes(StandardCharsets.US_ASCII), given)) found = step;
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }

    /**
     * The {@code otpauth://} URI authenticator apps read from a QR code (the Key URI format most
     * apps follow): the issuer names the entry, the account tells entries of one issuer apart,
     * and the parameters repeat what {@link #code} computes, for apps that read them.
     */
    public static String provisioningUri(String issuer, String account, String secret) {
        return "otpauth://totp/" + encode(issuer) + ":" + encode(account) + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.toSeconds();
    }

    /** Percent-encoding of a URI's path and query values (a space as %20, which the format asks for). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The code of one step: RFC 4226 §5.3 over HMAC-SHA1(key, step as 8 big-endian bytes). */
    public static String code(byte[] key, long step) {
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            hmac = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
        int offset = hmac[hmac.length - 1] & 0x0f;
        int binary = ((hmac[offset] & 0x7f) << 24) | ((hmac[offset + 1] & 0xff) << 16)
                | ((hmac[offset + 2] & 0xff) << 8) | (hmac[offset + 3] & 0xff);
        return String.format("%0" + DIGITS + "d", binary % 1_000_000);
    }
}
