package dev.castgate.domain;

/**
 * What hangs off one account, as an operator sees it before changing or removing it: grants not
 * revoked (connected apps and devices, and the client-credentials grants of clients it owns),
 * unexpired sessions, remembered consents, channels, videos, device passwords and passkeys.
 */
public record AccountHoldings(int grants, int sessions, int consents, int channels, int videos, int devicePasswords, int passkeys) {}
