package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A browser sign-in; the cookie holds a random value, the database its hash. {@code amr} is how
 * the person signed in: a second step taken later (a step-up) adds to it and keeps
 * {@code authTime}, the time of the sign-in itself. {@code sid} names the sign-in to clients (its ID
 * tokens' {@code sid}, Back-Channel Logout §2.1): it stays the same through a step-up, whose new
 * cookie value changes the hash; empty for sessions begun before it was kept.
 */
public record Session(TokenHash hash, UserId userId, Instant authTime, Instant expiresAt, Authentication amr, Optional<String> sid) {}
