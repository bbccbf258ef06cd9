package dev.castgate.domain;

/** JWS algorithms Castgate signs ID tokens with; RS256 unless the client asks otherwise. */
public enum IdTokenAlgorithm {
    RS256, ES256;

    public static IdTokenAlgorithm parse(String raw) {
        for (IdTokenAlgorithm a : values()) if (a.name().equals(raw)) return a;
        throw new IllegalArgumentException("ID token algorithm must be RS256 or ES256, not '" + raw + "'");
    }
}
