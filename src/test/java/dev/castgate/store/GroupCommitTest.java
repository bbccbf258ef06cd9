package dev.castgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group-commit writer on the real database: units that wait together are written in one
 * batch, one failing unit fails alone, a unit sees the rows of the units before it in its batch,
 * and each call returns only once its rows can be read from another connection.
 *
 * <p>To make units share a batch, a first unit holds the writer inside its transaction until the
 * others are queued behind it; they are then taken together.
 */
class GroupCommitTest {
    @CastgateServer static TestServer server;
    static IssuanceWriter writer;
    static TestClient client;
    static final RandomTokens random = RandomTokens.secure();

    @BeforeAll
    static void setUp() {
        writer = server.database().issuances();
        client = server.client().create();
    }

    @Test
    void oneFailingUnitFailsAloneAndTheOthersInItsBatchCommit() throws Exception {
        long grantsBefore = server.database().count("grants");
        String taken = random.hex40();
        assertThat(writer.write(tx -> null, nothing -> newGrantWithToken(taken)).stored()).isTrue();

        Batch batch = Batch.held();
        Call duplicate = batch.queue(tx -> null, nothing -> newGrantWithToken(taken)); // the same token hash again
        List<String> fresh = List.of(random.hex40(), random.hex40(), random.hex40());
        List<Call> good = new ArrayList<>();
        for (String token : fresh) good.add(batch.queue(tx -> null, nothing -> newGrantWithToken(token)));
        batch.release();

        assertThat(duplicate.failure()).as("the unit whose token hash exists fails").isNotNull();
        for (Call call : good) {
            assertThat(call.failure()).isNull();
            assertThat(call.result().stored()).isTrue();
        }
        for (String token : fresh) {
            assertThat(server.database().stores().tokens().findAccessToken(Hashes.tokenHash(token))).isPresent();
        }
        // The failed unit's grant went with it: its savepoint was rolled back.
        assertThat(server.database().count("grants")).isEqualTo(grantsBefore + 1 + fresh.size());
    }

    @Test
    void aUnitSeesTheRowsOfTheUnitsBeforeItInItsBatch() throws Exception {
        String refresh = random.hex40();
        Batch batch = Batch.held();
        Call first = batch.queue(tx -> null, nothing -> newGrantWithRefreshToken(refresh));
        Call second = batch.queue(tx -> tx.tokens().findRefreshToken(Hashes.tokenHash(refresh)).isPresent(), found -> IssuanceWriter.Rows.NONE);
        batch.release();

        assertThat(first.result().stored()).isTrue();
        assertThat(second.result().consumed()).isEqualTo(true);
    }

    @Test
    void noTokenIsStoredForARevokedGrant() {
        String token = random.hex40();
        IssuanceWriter.Rows rows = newGrantWithToken(token);
        Grant grant = rows.newGrant().orElseThrow();
        assertThat(writer.write(tx -> null, nothing -> rows).stored()).isTrue();
        server.database().inTransaction(tx -> tx.grants().revoke(grant.id(), Instant.now()));

        String another = random.hex40();
        Instant now = Instant.now();
        IssuanceWriter.Written<Object> written = writer.write(tx -> null, nothing -> new IssuanceWriter.Rows(Optional.empty(),
                Optional.of(grant.id()), Optional.of(accessToken(another, grant, now)), Optional.empty(), now));
        assertThat(written.stored()).isFalse();
        assertThat(server.database().stores().tokens().findAccessToken(Hashes.tokenHash(another))).isEmpty();
    }

    @Test
    void whatAConsumptionDidCommitsEvenWhenItStoresNothing() {
        String token = random.hex40();
        IssuanceWriter.Rows rows = newGrantWithToken(token);
        Grant grant = rows.newGrant().orElseThrow();
        writer.write(tx -> null, nothing -> rows);

        IssuanceWriter.Written<Boolean> written = writer.write(tx -> tx.grants().revoke(grant.id(), Instant.now()),
                revoked -> IssuanceWriter.Rows.NONE);
        assertThat(written.consumed()).isTrue();
        assertThat(server.database().stores().grants().find(grant.id()).orElseThrow().revokedAt()).isPresent();
    }

    private static IssuanceWriter.Rows newGrantWithToken(String token) {
        Instant now = Instant.now();
        Grant grant = grant(now);
        return new IssuanceWriter.Rows(Optional.of(grant), Optional.empty(), Optional.of(accessToken(token, grant, now)), Optional.empty(), now);
    }

    private static IssuanceWriter.Rows newGrantWithRefreshToken(String token) {
        Instant now = Instant.now();
        Grant grant = grant(now);
        RefreshToken refresh = new RefreshToken(Hashes.tokenHash(token), grant.id(), new ClientId(client.id()), Optional.empty(), grant.scope(),
                now, now.plusSeconds(3600), Optional.empty());
        return new IssuanceWriter.Rows(Optional.of(grant), Optional.empty(), Optional.of(accessToken(random.hex40(), grant, now)),
                Optional.of(refresh), now);
    }

    private static Grant grant(Instant now) {
        return new Grant(new GrantId(random.hex40()), Optional.empty(), new ClientId(client.id()), Scope.parseOrNull("broadcaster"), Optional.empty(), now, now,
                Optional.empty());
    }

    private static AccessToken accessToken(String token, Grant grant, Instant now) {
        return new AccessToken(Hashes.tokenHash(token), grant.id(), new ClientId(client.id()), Optional.empty(), grant.scope(), now, now.plusSeconds(3600));
    }

    /** A write made on a thread of its own, and how it ended. */
    static final class Call {
        final Thread thread;
        final AtomicReference<IssuanceWriter.Written<?>> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        <T> Call(Function<Stores, T> consume, Function<T, IssuanceWriter.Rows> rowsFor) {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    result.set(writer.write(consume, rowsFor));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        IssuanceWriter.Written<?> result() throws InterruptedException {
            join();
            assertThat(failure.get()).isNull();
            return result.get();
        }

        Throwable failure() throws InterruptedException {
            join();
            return failure.get();
        }

        void join() throws InterruptedException {
            assertThat(thread.join(java.time.Duration.ofSeconds(30))).as("the write finished").isTrue();
        }

        /** Queued: the thread waits (with a timeout) for its commit. */
        void awaitQueued() {
            await("the call was queued").atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(5))
                    .until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        }
    }

    /** Holds the writer inside a unit until {@link #release}, so the calls queued meanwhile are written together. */
    static final class Batch {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        Call holder;

        static Batch held() throws InterruptedException {
            Batch batch = new Batch();
            batch.holder = new Call(tx -> {
                batch.inside.countDown();
                try {
                    return batch.release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, released -> IssuanceWriter.Rows.NONE);
            assertThat(batch.inside.await(10, TimeUnit.SECONDS)).isTrue();
            return batch;
        }

        <T> Call queue(Function<Stores, T> consume, Function<T, IssuanceWriter.Rows> rowsFor) throws InterruptedException {
            Call call = new Call(consume, rowsFor);
            call.awaitQueued();
            return call;
        }

        void release() throws InterruptedException {
            release.countDown();
            assertThat(holder.result().consumed()).isEqualTo(true);
        }
    }
}
