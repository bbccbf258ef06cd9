package dev.castgate.protocol;

import dev.castgate.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/** Proof Key for Code Exchange with the S256 method (RFC 7636); plain is not offered (RFC 9700 §2.1.1). */
public final class Pkce {
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** RFC 7636 §4.2: an S256 challenge is the 43-character base64url form of a SHA-256 digest. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    private Pkce() {}

    public static boolean validChallenge(String challenge) { return S256_CHALLENGE.matcher(challenge).matches(); }

    public static boolean validVerifier(String verifier) { return VERIFIER.matcher(verifier).matches(); }

    /** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time. */
    public static boolean matches(String verifier, String challenge) {
        String computed = s256(verifier);
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }

    public static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
