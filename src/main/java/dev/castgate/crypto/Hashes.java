package dev.castgate.crypto;

import dev.castgate.domain.TokenHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 for generated secrets. They carry 160 bits or more of randomness, so a fast hash is
 * enough; a slow one would cap token requests per second (DESIGN.md, rule 8).
 */
public final class Hashes {
    private Hashes() {}

    public static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Hex SHA-256 of a secret's ASCII form: what the database stores for tokens, codes and secrets. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** The stored form of a generated secret: its hex SHA-256, typed so it is not taken for the secret. */
    public static TokenHash tokenHash(String secret) { return new TokenHash(sha256Hex(secret)); }

    /** {@link #constantTimeEquals(String, String)} of two stored hashes. */
    public static boolean constantTimeEquals(TokenHash a, TokenHash b) { return constantTimeEquals(a.value(), b.value()); }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
