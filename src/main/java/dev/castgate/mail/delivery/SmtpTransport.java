package dev.castgate.mail.delivery;

import dev.castgate.config.ServerConfig.MailConfig;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends over SMTP with Angus Mail (Jakarta Mail): one connection per mail, bounded by timeouts, so
 * a mail server that hangs delays the outbox and nothing else. With {@code mail.starttls} the
 * connection must turn to TLS, with a certificate valid for the host, before the password or the
 * mail is sent; without it, mail goes in the clear (a relay on the same host, a test server).
 */
public final class SmtpTransport implements MailTransport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private final Session session;
    private final MailConfig config;
    private final InternetAddress from;
    private final Clock clock;

    /** {@code hostName} names this server in the SMTP greeting (its issuer's host). */
    public SmtpTransport(MailConfig config, String hostName, Clock clock) {
        this.config = config;
        this.clock = clock;
        try {
            this.from = new InternetAddress(config.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("mail.from is not an address: " + e.getMessage(), e);
        }
        Properties p = new Properties();
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", Integer.toString(config.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(IO_TIMEOUT.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(IO_TIMEOUT.toMillis()));
        p.put("mail.smtp.from", from.getAddress()); // the envelope sender, where bounces go
        // Named here, so that neither the greeting nor a Message-ID asks the resolver for this
        // machine's own name: that lookup took five seconds per mail on a host without one.
        p.put("mail.smtp.localhost", hostName);
        p.put("mail.from", from.getAddress());
        if (config.starttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        if (!config.username().isEmpty()) p.put("mail.smtp.auth", "true");
        this.session = Session.getInstance(p);
    }

    @Override
    public void send(Message message) throws MailFailure {
        MimeMessage mime;
        try {
            mime = mime(message);
        } catch (AddressException e) {
            throw new MailFailure("the recipient is not an address: " + e.getMessage(), true, e);
        } catch (MessagingException e) {
            throw new MailFailure("the mail could not be made: " + e.getMessage(), true, e);
        }
        try {
            if (config.username().isEmpty()) Transport.send(mime);
            else Transport.send(mime, config.username(), config.password());
        } catch (SendFailedException e) {
            throw new MailFailure(describe(e), refusedForGood(e), e);
        } catch (MessagingException e) {
            throw new MailFailure(describe(e), false, e);
        }
    }

    private MimeMessage mime(Message message) throws MessagingException {
        MimeMessage mime = new MimeMessage(session);
        mime.setFrom(from);
        mime.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(message.to(), true));
        mime.setSubject(message.subject(), "UTF-8");
        mime.setSentDate(Date.from(clock.instant()));
        // RFC 3834: machine-made, so auto-responders do not answer it.
        mime.setHeader("Auto-Submitted", "auto-generated");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(message.html(), "UTF-8", "html");
        MimeMultipart alternatives = new MimeMultipart("alternative"); // the last is the preferred one
        alternatives.addBodyPart(text);
        alternatives.addBodyPart(html);
        mime.setContent(alternatives);
        mime.saveChanges();
        return mime;
    }

    /**
     * A rejection of the recipient with a 5xx reply is for good; a 4xx reply, or none at all, may
     * pass later (RFC 5321 §4.2.1).
     */
    private static boolean refusedForGood(SendFailedException e) {
        for (Exception next = e; next != null; next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException failed) return failed.getReturnCode() >= 500;
            if (next instanceof SMTPSendFailedException failed) return failed.getReturnCode() >= 500;
        }
        Address[] invalid = e.getInvalidAddresses();
        return invalid != null && invalid.length > 0;
    }

    /** The failure in one line, its causes' messages included; no mail content. */
    private static String describe(MessagingException e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(String.valueOf(e.getMessage()).strip());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
