package dev.castgate.domain;

import java.time.Instant;

/** A signing key: its JWK JSON (private part included; the database holds it sealed) and when it was made. */
public record SigningKey(String kid, String algorithm, String jwkJson, Instant createdAt) {}
