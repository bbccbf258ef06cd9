package dev.castgate.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A mail waiting in the outbox: what kind, to whom, in which language ({@code language} is a page
 * language's tag, such as {@code hu_HU}), with which link or detail. The text is made when it is
 * sent. It is tried until {@code giveUpAt}; {@code attempts} counts the tries so far.
 */
public record OutboxMail(
        String id,
        UserId userId,
        Kind kind,
        String recipient,
        String language,
        Optional<String> linkId,
        Optional<String> detail,
        Instant createdAt,
        Instant giveUpAt,
        Instant nextAttemptAt,
        int attempts) {

    /** The mails Castgate sends. */
    public enum Kind {
        /** A link that confirms an address: after sign-up, or to the new address of an email change. */
        VERIFY_EMAIL,
        /** To the old address of an email change: the change was asked for; {@code detail} is the new address. */
        EMAIL_CHANGE_NOTICE,
        /** To the old address of an email change an operator made, which took effect at once; {@code detail} is the new address. */
        EMAIL_CHANGED_NOTICE,
        /** A link that lets the person set a new password. */
        PASSWORD_RESET,
        /** The password was changed (on the account page or with a recovery link). */
        PASSWORD_CHANGED;

        public String column() { return name().toLowerCase(Locale.ROOT); }

        public static Kind ofColumn(String value) { return valueOf(value.toUpperCase(Locale.ROOT)); }
    }

    /** How a mail left the outbox. */
    public enum Outcome {
        SENT, DROPPED, GIVEN_UP;

        public String column() { return name().toLowerCase(Locale.ROOT); }
    }
}
