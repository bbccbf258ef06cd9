package dev.castgate.domain;

import java.time.Instant;

/**
 * What a client that registered itself keeps beside the client (RFC 7592): the hash of its
 * registration access token and the token endpoint authentication method it declared.
 */
public record ClientRegistration(ClientId clientId, TokenHash accessTokenHash, ClientAuthMethod authMethod, Instant issuedAt) {}
