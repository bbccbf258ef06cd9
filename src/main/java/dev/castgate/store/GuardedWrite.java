package dev.castgate.store;

/**
 * What a write that stores a row only while its client exists did. A removed client may still be
 * in a node's client cache, so the statement checks (docs/design-notes.md, Clients); the caller
 * answers as for an unknown client instead of failing on a foreign key. A grant is also refused
 * while its account is disabled ({@code ACCOUNT_DISABLED}), which a sign-in checked just before
 * the account was disabled may meet.
 */
public enum GuardedWrite {
    STORED,
    CLIENT_GONE,
    ACCOUNT_DISABLED
}
