package dev.castgate.mail.delivery;

import dev.castgate.background.BackgroundRounds;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.mail.EmailLinks;
import dev.castgate.store.OutageLog;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox, on a thread of its own on every node, never inside a request or a
 * transaction. Each round reads the due mails and claims each for a lease before trying it, so
 * nodes never send one mail at once; a node that stops mid-send leaves the mail to another when
 * the lease runs out (at least once: such a mail may arrive twice). A failed attempt is tried
 * again after 30 s, then twice as long each time up to 10 minutes, until the mail's link expires
 * (a notice: {@link dev.castgate.mail.Outbox#NOTICE_LIFETIME}); a mail the server refuses for good
 * is given up at once. So a mail server that is away delays mail and loses none. A mail whose
 * link was used or replaced before it left is dropped unsent.
 */
public final class MailWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailWorker.class);
    /** How often a round runs without being woken: mail another node enqueued waits at most this long. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** Longer than one SMTP conversation may take with its timeouts. */
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
    private static final int BATCH = 20;

    private final Transactions transactions;
    private final Stores stores;
    private final MailTransport transport;
    private final MailComposer composer;
    private final EmailLinks links;
    private final Clock clock;
    /** This node's name in a claim. */
    private final String worker;
    private final BackgroundRounds rounds;

    public MailWorker(Transactions transactions, Stores stores, MailTransport transport, MailComposer composer, EmailLinks links,
                      Clock clock, RandomTokens random, OutageLog outages) {
        this.transactions = transactions;
        this.stores = stores;
        this.transport = transport;
        this.composer = composer;
        this.links = links;
        this.clock = clock;
        this.worker = random.hex40();
        this.rounds = new BackgroundRounds("mail", POLL, outages, this::round);
    }

    public void start() { rounds.start(); }

    /** Something was enqueued here: a round now rather than at the next poll. */
    public void wake() { rounds.wake(); }

    /** What became of one attempt. */
    private enum Attempt { DONE, RETRY }

    /** One round: tries every mail due now, until one fails to go (the server is likely away for the rest too). */
    public void round() {
        List<OutboxMail> due = stores.mailOutbox().due(clock.instant(), BATCH);
        for (OutboxMail mail : due) {
            Instant now = clock.instant();
            boolean claimed = transactions.inTransaction(tx -> tx.mailOutbox().claim(mail.id(), worker, now, now.plus(LEASE)));
            // The claim may have waited for the database: the attempt reads the clock afresh.
            if (claimed && attempt(mail, mail.attempts() + 1, clock.instant()) == Attempt.RETRY) return;
        }
    }

    private Attempt attempt(OutboxMail mail, int attempt, Instant now) {
        if (!now.isBefore(mail.giveUpAt())) {
            finish(mail, OutboxMail.Outcome.GIVEN_UP, now);
            log.warn("gave up mail {} ({}) to user {} after {} attempts: its time ran out", mail.id(), mail.kind().column(),
                    mail.userId().value(), attempt - 1);
            return Attempt.DONE;
        }
        Optional<String> token = Optional.empty();
        if (mail.linkId().isPresent()) {
            Optional<EmailLink> link = stores.emailLinks().find(mail.linkId().get());
            if (link.isEmpty() || link.get().consumedAt().isPresent() || link.get().expired(now)) {
                finish(mail, OutboxMail.Outcome.DROPPED, now); // its link was used or replaced before it left
                return Attempt.DONE;
            }
            token = Optional.of(links.token(link.get()));
        }
        Optional<User> user = stores.users().find(mail.userId());
        if (user.isEmpty()) {
            finish(mail, OutboxMail.Outcome.DROPPED, now);
            return Attempt.DONE;
        }
        try {
            transport.send(composer.compose(mail, user.get(), token));
        } catch (MailTransport.MailFailure failure) {
            if (failure.permanent()) {
                finish(mail, OutboxMail.Outcome.GIVEN_UP, now);
                log.warn("gave up mail {} ({}) to user {}: the mail server refused it: {}", mail.id(), mail.kind().column(),
                        mail.userId().value(), failure.getMessage());
                return Attempt.DONE;
            }
            Instant next = now.plus(retryAfter(attempt));
            transactions.inTransaction(tx -> {
                tx.mailOutbox().retryAt(mail.id(), worker, next, failure.getMessage());
                return null;
            });
            log.warn("mail {} ({}) to user {} not sent (attempt {}), trying again at {}: {}", mail.id(), mail.kind().column(),
                    mail.userId().value(), attempt, next, failure.getMessage());
            return Attempt.RETRY;
        }
        finish(mail, OutboxMail.Outcome.SENT, clock.instant());
        log.info("sent mail {} ({}) to user {}", mail.id(), mail.kind().column(), mail.userId().value());
        return Attempt.DONE;
    }

    /** 30 s after the first failure, then twice as long each time, at most 10 minutes. */
    static Duration retryAfter(int attempt) { return BackgroundRounds.backoff(attempt, FIRST_RETRY, LONGEST_RETRY); }

    private void finish(OutboxMail mail, OutboxMail.Outcome outcome, Instant at) {
        transactions.inTransaction(tx -> {
            tx.mailOutbox().finish(mail.id(), outcome, at);
            return null;
        });
    }

    @Override
    public void close() { rounds.close(); }
}
