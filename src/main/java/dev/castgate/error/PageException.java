package dev.castgate.error;

/**
 * An error shown to the person in the browser as a page, where redirecting is not safe (unknown
 * client, unregistered redirect URI) or not meaningful (an expired form). It carries message
 * keys, not text: the page is written in the person's language.
 */
public final class PageException extends RuntimeException {
    private final int status;
    private final String titleKey;
    private final String messageKey;

    public PageException(int status, String titleKey, String messageKey) {
        super(messageKey, null, false, false);
        this.status = status;
        this.titleKey = titleKey;
        this.messageKey = messageKey;
    }

    /** The page for an address with nothing behind it (or a feature turned off). */
    public static PageException notFound() {
        return new PageException(404, "error.not_found.title", "error.not_found.message");
    }

    public int status() { return status; }

    public String titleKey() { return titleKey; }

    public String messageKey() { return messageKey; }
}
