package dev.castgate.mail.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development without an SMTP server: each mail is written to the log, links and all, so every
 * flow can be followed from the log. Only where the issuer is http; production sends no mail
 * rather than put live links to accounts into its log.
 */
public final class LogTransport implements MailTransport {
    private static final Logger log = LoggerFactory.getLogger(LogTransport.class);

    @Override
    public void send(Message message) {
        log.info("mail to {} (development: written here, not sent; set CASTGATE_MAIL_HOST to send it)%nSubject: {}%n%n{}"
                .replace("%n", System.lineSeparator()), message.to(), message.subject(), message.text());
    }
}
