package dev.castgate.crypto;

import java.security.SecureRandom;
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

    /** 256 random bits, URL-safe base64 without padding: cookies and CSRF tokens. */
    public String urlSafe256() { return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32)); }

    public byte[] bytes(int count) {
        byte[] out = new byte[count];
        random.nextBytes(out);
        return out;
    }
}
