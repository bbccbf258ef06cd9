package dev.castgate.admin;

/** An administrative request that cannot be carried out, with a message for the operator. */
public final class AdminException extends RuntimeException {
    public AdminException(String message) { super(message); }
}
