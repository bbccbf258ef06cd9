package dev.castgate.domain;

import java.time.Instant;

/**
 * A browser sign-in; the cookie holds a random value, the database its hash. {@code amr} is how
 * the person signed in: a second step taken later (a step-up) adds to it and keeps
 * {@code authTime}, the time of the sign-in itself.
 */
public record Session(TokenHash hash, UserId userId, Instant authTime, Instant expiresAt, Authentication amr) {}
