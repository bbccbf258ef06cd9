package dev.castgate.domain;

import java.time.Instant;

/** A stored signing key: its JWK JSON (private part included) and when it was made. */
public record SigningKey(String kid, String algorithm, String jwkJson, Instant createdAt) {}
