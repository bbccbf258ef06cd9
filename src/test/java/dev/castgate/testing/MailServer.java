package dev.castgate.testing;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server on loopback (GreenMail) on a free port, and what arrived at it, read as a
 * person's mail program would: subject, plain text, HTML and the link in it. It can be stopped and
 * started again on the same port, as a mail server that goes away and comes back; what arrived
 * before is kept.
 */
public final class MailServer implements AutoCloseable {
    public static final String FROM = "Castgate <castgate@castgate.test>";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/[a-z-]+\\?[^\\s\"<]+");

    private final ServerSetup setup;
    private GreenMail greenMail;
    /** What arrived at earlier runs of the server. */
    private final List<MimeMessage> before = new ArrayList<>();
    /** How many mails to each address a test has taken with {@link #next}. */
    private final Map<String, Integer> taken = new HashMap<>();

    private MailServer(int port) {
        this.setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    }

    public static MailServer start() {
        MailServer server = new MailServer(ChildProcesses.freePort());
        server.startAgain();
        return server;
    }

    /** The server's settings for Castgate: plain SMTP on loopback, without STARTTLS (the test server has no certificate). */
    public Map<String, String> settings() {
        return Map.of("CASTGATE_MAIL_HOST", "127.0.0.1", "CASTGATE_MAIL_PORT", Integer.toString(setup.getPort()),
                "CASTGATE_MAIL_FROM", FROM, "CASTGATE_MAIL_STARTTLS", "false");
    }

    /** The server goes away: connections to its port are refused until {@link #startAgain}. */
    public synchronized void stop() {
        before.addAll(Arrays.asList(greenMail.getReceivedMessages()));
        greenMail.stop();
        greenMail = null;
    }

    public synchronized void startAgain() {
        greenMail = new GreenMail(setup);
        greenMail.start();
    }

    /** One mail as it arrived. */
    public record Mail(String to, String subject, String text, String html, MimeMessage raw) {
        /** The one link of this server's pages in the plain text (the HTML holds the same). */
        public String link() {
            Matcher m = LINK.matcher(text);
            if (!m.find()) throw new AssertionError("no link in the mail:\n" + text);
            return m.group();
        }

        public String header(String name) {
            try {
                String[] values = raw.getHeader(name);
                return values == null ? null : values[0];
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every mail that arrived for {@code address}, oldest first. */
    public synchronized List<Mail> to(String address) {
        List<MimeMessage> all = new ArrayList<>(before);
        if (greenMail != null) all.addAll(Arrays.asList(greenMail.getReceivedMessages()));
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage message : all) {
            Mail mail = read(message);
            if (mail.to().equalsIgnoreCase(address)) mails.add(mail);
        }
        return mails;
    }

    /** Waits (bounded) for the next mail to {@code address} that no earlier call took. */
    public Mail next(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        int seen;
        synchronized (this) {
            seen = taken.getOrDefault(key, 0);
        }
        List<Mail> mails = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> to(address), list -> list.size() > seen);
        synchronized (this) {
            taken.put(key, seen + 1);
        }
        return mails.get(seen);
    }

    private static Mail read(MimeMessage message) {
        try {
            String to = message.getRecipients(Message.RecipientType.TO)[0].toString();
            String text = null;
            String html = null;
            if (message.getContent() instanceof Multipart parts) {
                for (int i = 0; i < parts.getCount(); i++) {
                    BodyPart part = parts.getBodyPart(i);
                    if (part.isMimeType("text/plain")) text = (String) part.getContent();
                    if (part.isMimeType("text/html")) html = (String) part.getContent();
                }
            } else {
                text = String.valueOf(message.getContent());
            }
            // Lines travel as CRLF (RFC 5322); read as a mail program shows them.
            return new Mail(to, message.getSubject(), Optional.ofNullable(text).orElse("").replace("\r\n", "\n"),
                    Optional.ofNullable(html).orElse("").replace("\r\n", "\n"), message);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a received mail", e);
        }
    }

    @Override
    public synchronized void close() {
        if (greenMail != null) greenMail.stop();
        greenMail = null;
    }
}
