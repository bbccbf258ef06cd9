package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A live grant as its user sees it on the account page: which client, on which device, allowed
 * what, since when; {@code legacyApiWrites} is the client's (its tokens change channels and
 * videos without the broadcaster scope).
 */
public record ConnectedApp(
        GrantId grantId,
        ClientId clientId,
        String clientName,
        Optional<String> deviceName,
        Scope scope,
        Instant createdAt,
        Instant lastUsedAt,
        boolean legacyApiWrites) {}
