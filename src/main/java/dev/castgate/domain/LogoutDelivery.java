package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A logout token waiting to be posted to a client's back-channel logout URI (Back-Channel Logout
 * 1.0 §2.5): for which client, about whom ({@code userId}, the token's {@code sub}) and which
 * session ({@code sid}). The token is signed when it is sent; {@code attempts} counts the tries so far.
 */
public record LogoutDelivery(String id, ClientId clientId, UserId userId, Optional<String> sid, Instant createdAt, Instant nextAttemptAt,
                             int attempts) {}
