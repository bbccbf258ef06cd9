package dev.castgate.store;

/** The connection pool now: connections in use, idle, open in all, the most it opens, and requests waiting for one. */
public record PoolUse(int active, int idle, int total, int max, int waiting) {}
