package dev.castgate.store;

/**
 * What a write that stores a row only while its client exists did. A removed client may still be
 * in a node's client cache, so the statement checks (docs/design-notes.md, Clients); the caller
 * answers as for an unknown client instead of failing on a foreign key.
 */
public enum GuardedWrite {
    STORED,
    CLIENT_GONE
}
