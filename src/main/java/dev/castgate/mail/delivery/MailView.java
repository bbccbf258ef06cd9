package dev.castgate.mail.delivery;

import java.util.List;

/**
 * What one mail says, already in its language, for both its plain-text and its HTML body:
 * {@code htmlLang} is the BCP 47 tag, {@code linkHref} and {@code linkText} the one link (or null),
 * {@code before} and {@code after} the paragraphs around it.
 */
public record MailView(String htmlLang, String subject, String greeting, List<String> before, String linkText, String linkHref,
                       List<String> after, String footer) {
    /** The plain-text body: the same paragraphs, the link as its label and address on lines of their own. */
    public String text() {
        StringBuilder text = new StringBuilder(greeting).append("\n\n");
        for (String paragraph : before) text.append(paragraph).append("\n\n");
        if (linkHref != null) text.append(linkText).append(":\n").append(linkHref).append("\n\n");
        for (String paragraph : after) text.append(paragraph).append("\n\n");
        return text.append("-- \n").append(footer).append('\n').toString();
    }
}
