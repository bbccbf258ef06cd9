package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A person's registered passkey (a WebAuthn public-key credential): its raw id and COSE public
 * key, both base64url, the last signature counter seen, the transports the browser named at
 * registration (separated by spaces), the name the person gave it, and when it was registered
 * and last used.
 */
public record Passkey(String credentialId, UserId userId, String publicKey, long signCount, String transports, String name,
                      Instant createdAt, Optional<Instant> lastUsedAt) {}
