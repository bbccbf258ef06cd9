package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A resource server clients may name with {@code resource} (RFC 8707): its identifier, an
 * absolute URI without a fragment, matched exactly; a name for people; and, if the operator gave
 * them, the only scopes a token for it may carry.
 */
public record Resource(String uri, String name, Optional<Scope> scopes, Instant createdAt) {}
