package dev.castgate.mail.delivery;

/** One mail as it leaves: the recipient, the subject, and the body as plain text and as simple HTML. */
public record Message(String to, String subject, String text, String html) {}
