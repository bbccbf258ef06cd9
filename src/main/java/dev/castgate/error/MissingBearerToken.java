package dev.castgate.error;

/** A protected resource was asked for with no access token at all (RFC 6750 §3.1: answer without an error code). */
public final class MissingBearerToken extends RuntimeException {
    public MissingBearerToken() { super("no access token", null, false, false); }
}
