package dev.castgate.crypto;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one source of generated secrets. Tokens, codes and client credentials are 40 lowercase hex
 * characters (160 random bits), the shape the original service's clients expect.
 */
public final class RandomTokens {
    private final SecureRandom random;

    public RandomTokens(SecureRandom random) { this.random = random; }

    public static RandomTokens secure() { return new RandomTokens(new SecureRandom()); }

    /** 160 random bits as 40 lowercase hex characters. */
    public String hex40() { return HexFormat.of().formatHex(bytes(20)); }

    /**
     * An id that sorts by creation time: the millisecond in 12 hex digits, then 112 random bits, 40
     * lowercase hex characters in all. Rows keyed by such ids are appended at the end of their
     * indexes, so a batch of new grants touches a page or two of each index instead of one
     * random page per row, which is most of what a token costs the database to write.
     */
    public String sortableHex40(Instant now) {
        return HexFormat.of().toHexDigits(now.toEpochMilli()).substring(4) + HexFormat.of().formatHex(bytes(14));
    }

    /** 256 random bits, URL-safe base64 without padding: cookies and CSRF tokens. */
    public String urlSafe256() { return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32)); }

    public byte[] bytes(int count) {
        byte[] out = new byte[count];
        random.nextBytes(out);
        return out;
    }
}
