package dev.castgate.mail.delivery;

/** How mail leaves this node: over SMTP, or into the log in development. */
public interface MailTransport {
    /** Sends one mail; a {@link MailFailure} says whether trying again later may succeed. */
    void send(Message message) throws MailFailure;

    /** A mail that did not leave. {@code permanent}: the server refused it for good (a recipient it rejects); trying again cannot help. */
    final class MailFailure extends Exception {
        private final boolean permanent;

        public MailFailure(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() { return permanent; }
    }
}
