package dev.castgate.domain;

/**
 * The JWS algorithms Castgate signs with (RFC 7518 §3.3 and §3.4). ID tokens are RS256 unless the
 * client asks otherwise; JWT access tokens ES256.
 */
public enum SigningAlgorithm {
    RS256, ES256;

    public static SigningAlgorithm parse(String raw) {
        for (SigningAlgorithm a : values()) if (a.name().equals(raw)) return a;
        throw new IllegalArgumentException("the signing algorithm must be RS256 or ES256, not '" + raw + "'");
    }
}
