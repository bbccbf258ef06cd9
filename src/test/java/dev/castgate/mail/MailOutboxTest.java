package dev.castgate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.castgate.domain.User;
import dev.castgate.mail.delivery.LogTransport;
import dev.castgate.mail.delivery.MailWorker;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.EmailFlows;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The outbox with a real mail server: mail is written with the change that causes it and sent by
 * a worker, so a mail server that is away delays mail and loses none; mail whose link went first
 * is never sent; two nodes send each mail once; housekeeping sweeps what was sent; and in
 * development without a mail server each mail is written to the log.
 */
class MailOutboxTest {
    private static final Pattern PUT_OFF = Pattern.compile("mail ([0-9a-f]{40}) \\(([a-z_]+)\\) to user [0-9a-f]{40} not sent "
            + "\\(attempt 1\\), trying again at \\S+: .*");

    /** What a logger writes, while attached. */
    private static final class Captured implements AutoCloseable {
        private final Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Captured(Class<?> source) {
            logger = (Logger) LoggerFactory.getLogger(source);
            appender.start();
            logger.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            synchronized (appender) { // the worker's thread appends under this lock
                return new ArrayList<>(appender.list);
            }
        }

        @Override
        public void close() { logger.detachAppender(appender); }
    }

    private static void askForRecovery(TestServer server, String base, User user) {
        Http browser = Http.browser();
        Http.Response page = browser.get(base + "/forgot-password");
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("login", user.username());
        Http.Response answer = browser.postForm(base + "/forgot-password", form);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void aMailServerThatIsAwayDelaysMailAndLosesNone(@CastgateServer(mail = true) TestServer server) {
        List<User> users = List.of(server.createUser(), server.createUser(), server.createUser());
        server.mail().stop();
        try (Captured log = new Captured(MailWorker.class)) {
            for (User user : users) askForRecovery(server, server.issuer(), user);
            // Each mail is tried and put off for 30 s; the requests were answered without waiting for it.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> putOff(log, "password_reset").size() == 3);
            assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        }
        server.mail().startAgain();
        server.sendMail();
        assertThat(users).allSatisfy(user -> assertThat(server.mail().to(user.email())).as("not before its next attempt").isEmpty());

        server.clock().advance(Duration.ofSeconds(31));
        for (User user : users) assertThat(server.mail().next(user.email()).subject()).isEqualTo("Reset your password");
        server.sendMail();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> users.stream().allMatch(user -> server.mail().to(user.email()).size() == 1));
        User first = users.get(0);
        Http.Response reset = EmailFlows.reset(server, Http.browser(), server.mail().to(first.email()).get(0).link(), "a brand new passphrase",
                false);
        assertThat(reset.status()).as("the delayed link works").isEqualTo(200);
    }

    /** The mails of a kind the worker tried and put off once, by id. */
    private static Set<String> putOff(Captured log, String kind) {
        return log.events().stream().map(ILoggingEvent::getFormattedMessage).map(PUT_OFF::matcher).filter(Matcher::matches)
                .filter(m -> m.group(2).equals(kind)).map(m -> m.group(1)).collect(Collectors.toSet());
    }

    @Test
    void mailWhoseLinkWentBeforeItCouldLeaveIsNeverSent(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String replaced = "replaced-" + user.email();
        String kept = "kept-" + user.email();
        server.mail().stop();
        try (Captured log = new Captured(MailWorker.class)) {
            for (String email : List.of(replaced, kept)) {
                Http.Response asked = browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account),
                        "name", "", "email", email, "current_password", TestServer.PASSWORD));
                assertThat(asked.status()).isEqualTo(200);
            }
            askForRecovery(server, server.issuer(), user);
            // Every mail is tried once and put off before the clock moves on.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> putOff(log, "password_reset").size() == 1 && putOff(log, "email_change_notice").size() == 2);
        }
        // The recovery link expires while the mail server is away.
        server.clock().advance(Duration.ofMinutes(31));
        server.mail().startAgain();

        assertThat(server.mail().next(kept).subject()).isEqualTo("Confirm your email address");
        // Both notices, in either order: mails of one millisecond leave in no particular order.
        List<String> notices = List.of(server.mail().next(user.email()).text(), server.mail().next(user.email()).text());
        assertThat(notices).anySatisfy(text -> assertThat(text).contains("to change its email address to " + replaced + "."))
                .anySatisfy(text -> assertThat(text).contains("to change its email address to " + kept + "."));
        server.sendMail();
        assertThat(server.mail().to(replaced)).as("its link was replaced by the later change").isEmpty();
        assertThat(server.mail().to(user.email())).as("no recovery mail after its link expired").hasSize(2);
    }

    @Test
    void housekeepingSweepsSentMailAndExpiredLinks(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        askForRecovery(server, server.issuer(), user);
        server.mail().next(user.email());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            server.sweep();
            return server.database().count("mail_outbox") == 0;
        });
        assertThat(server.database().count("email_links")).as("the link lives on until it expires").isEqualTo(1);
        server.clock().advance(Duration.ofMinutes(31));
        server.sweep();
        assertThat(server.database().count("email_links")).isZero();
    }

    @Test
    void twoNodesSendEachMailOnce(@CastgateServer(mail = true) TestServer server) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) users.add(server.createUser());
        try (ServerProcess second = ServerProcess.startBeside(server)) {
            for (int i = 0; i < users.size(); i++) {
                askForRecovery(server, i % 2 == 0 ? server.issuer() : second.url(""), users.get(i));
            }
            for (User user : users) assertThat(server.mail().next(user.email()).subject()).isEqualTo("Reset your password");
            server.sendMail();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> users.stream().allMatch(user -> server.mail().to(user.email()).size() == 1));
        }
    }

    @Test
    void withoutAMailServerDevelopmentWritesEachMailToTheLog(@CastgateServer TestServer development) {
        String username = "logged" + Long.toHexString(System.nanoTime() & 0xffffff);
        String email = username + "@example.com";
        String link;
        try (Captured log = new Captured(LogTransport.class)) {
            assertThat(EmailFlows.signUp(development, Http.browser(), username, email, "en_US").status()).isEqualTo(303);
            String written = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> log.events().stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(email)).findFirst(),
                            java.util.Optional::isPresent).orElseThrow();
            assertThat(written).startsWith("mail to " + email + " (development: written here, not sent; set CASTGATE_MAIL_HOST to send it)"
                    + System.lineSeparator() + "Subject: Confirm your email address" + System.lineSeparator());
            Matcher m = Pattern.compile(Pattern.quote(development.url("/verify-email?token=")) + "[A-Za-z0-9_-]{43}&lang=en_US").matcher(written);
            assertThat(m.find()).as(written).isTrue();
            link = m.group();
        }
        assertThat(EmailFlows.confirm(development, Http.browser(), link).status()).isEqualTo(200);
        assertThat(development.database().stores().users().findByLogin(email).orElseThrow().emailVerified()).isTrue();
    }
}
