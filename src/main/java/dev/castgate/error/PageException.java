package dev.castgate.error;

/**
 * An error shown to the person in the browser as a page, where redirecting is not safe (unknown
 * client, unregistered redirect URI) or not meaningful (an expired form).
 */
public final class PageException extends RuntimeException {
    private final int status;
    private final String title;

    public PageException(int status, String title, String message) {
        super(message, null, false, false);
        this.status = status;
        this.title = title;
    }

    public int status() { return status; }

    public String title() { return title; }
}
