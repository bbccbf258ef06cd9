package dev.castgate.logout;

import dev.castgate.audit.AuditTrail;
import dev.castgate.background.BackgroundRounds;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.LogoutDelivery;
import dev.castgate.store.OutageLog;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts queued logout tokens (Back-Channel Logout 1.0 §2.5) on a thread of its own on every node,
 * as {@code MailWorker} sends mail: each round claims each due delivery for a lease before trying
 * it, so nodes never post one delivery at once. A post has a short timeout and follows no
 * redirect (§2.5 names none, and a redirect could point the token anywhere). A client that
 * answers 2xx has it; one that is away or answers 5xx (or 408, 429) is tried again after 10 s, then
 * twice as long each time up to 10 minutes, {@link #MAX_ATTEMPTS} times in all; any other answer
 * (§2.8: 400 for a token the client refused) gives it up at once. Each attempt gets a fresh token,
 * so a late retry does not carry an expired one.
 */
public final class LogoutDeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogoutDeliveryWorker.class);
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Longer than one post may take with its timeouts. */
    static final Duration LEASE = Duration.ofMinutes(1);
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
    public static final int MAX_ATTEMPTS = 8;
    private static final int BATCH = 20;

    private final Transactions transactions;
    private final Stores stores;
    private final LogoutTokens tokens;
    private final AuditTrail audit;
    private final Clock clock;
    private final String worker;
    /** Made at the first delivery: building an HTTP client loads the TLS trust store, too slow for the start path. */
    private HttpClient http;
    private final BackgroundRounds rounds;

    public LogoutDeliveryWorker(Transactions transactions, Stores stores, LogoutTokens tokens, AuditTrail audit, Clock clock,
                                RandomTokens random, OutageLog outages) {
        this.transactions = transactions;
        this.stores = stores;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.worker = random.hex40();
        this.rounds = new BackgroundRounds("logout", POLL, outages, this::round);
    }

    public void start() { rounds.start(); }

    /** Something was queued here: a round now rather than at the next poll. */
    public void wake() { rounds.wake(); }

    /** One round: tries every delivery due now. */
    public void round() {
        List<LogoutDelivery> due = stores.logoutDeliveries().due(clock.instant(), BATCH);
        for (LogoutDelivery delivery : due) {
            Instant now = clock.instant();
            boolean claimed = transactions.inTransaction(tx -> tx.logoutDeliveries().claim(delivery.id(), worker, now, now.plus(LEASE)));
            if (claimed) attempt(delivery, delivery.attempts() + 1);
        }
    }

    private void attempt(LogoutDelivery delivery, int attempt) {
        Optional<Client> client = stores.clients().find(delivery.clientId());
        Optional<String> uri = client.flatMap(c -> c.logout().backchannelLogoutUri());
        if (uri.isEmpty()) {
            finish(delivery, false, "the client no longer has a back-channel logout URI");
            return;
        }
        String problem;
        boolean retry;
        try {
            String body = "logout_token=" + URLEncoder.encode(tokens.sign(client.get(), delivery), StandardCharsets.UTF_8);
            HttpResponse<Void> answer = http().send(HttpRequest.newBuilder(URI.create(uri.get())).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                finish(delivery, true, "");
                return;
            }
            problem = "the client answered " + status;
            retry = status >= 500 || status == 408 || status == 429;
        } catch (IOException | IllegalArgumentException e) {
            problem = "the post failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            retry = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the lease runs out and another round or node tries again
        }
        if (!retry || attempt >= MAX_ATTEMPTS) {
            finish(delivery, false, problem + " (attempt " + attempt + ")");
            return;
        }
        Instant next = clock.instant().plus(retryAfter(attempt));
        String error = problem;
        transactions.inTransaction(tx -> {
            tx.logoutDeliveries().retryAt(delivery.id(), worker, next, error);
            return null;
        });
        log.warn("logout token {} for client {} not delivered (attempt {}), trying again at {}: {}", delivery.id(),
                delivery.clientId().value(), attempt, next, problem);
    }

    /** 10 s after the first failure, then twice as long each time, at most 10 minutes. */
    static Duration retryAfter(int attempt) { return BackgroundRounds.backoff(attempt, FIRST_RETRY, LONGEST_RETRY); }

    private void finish(LogoutDelivery delivery, boolean sent, String problem) {
        Instant now = clock.instant();
        AuditEvent event = (sent ? audit.success(AuditEvent.Type.BACKCHANNEL_LOGOUT) : audit.failure(AuditEvent.Type.BACKCHANNEL_LOGOUT))
                .user(delivery.userId()).client(delivery.clientId());
        transactions.inTransaction(tx -> {
            tx.logoutDeliveries().finish(delivery.id(), sent ? "sent" : "given_up", now);
            tx.audit().record(sent ? event : event.detail(problem));
            return null;
        });
        if (sent) log.info("logout token {} delivered to client {}", delivery.id(), delivery.clientId().value());
        else log.warn("gave up logout token {} for client {}: {}", delivery.id(), delivery.clientId().value(), problem);
    }

    @Override
    public void close() { rounds.close(); }

    private synchronized HttpClient http() {
        if (http == null) http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        return http;
    }
}
