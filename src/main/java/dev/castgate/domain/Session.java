package dev.castgate.domain;

import java.time.Instant;

/** A browser sign-in; the cookie holds a random value, the database its hash. */
public record Session(TokenHash hash, UserId userId, Instant authTime, Instant expiresAt) {}
