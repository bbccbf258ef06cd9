package dev.castgate.keys;

import static dev.castgate.domain.SigningAlgorithm.ES256;
import static dev.castgate.domain.SigningAlgorithm.RS256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.keys.KeySchedule.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which key signs and each key's state, from the rows alone: a pure function, so every node reading the same rows agrees. */
class KeyScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static SigningKey key(String kid, SigningAlgorithm alg, int generation, Duration activatesAfter, Optional<Instant> retiredAt) {
        return new SigningKey(kid, alg, generation, T0.plus(Duration.ofHours(generation)), T0.plus(activatesAfter), retiredAt);
    }

    private static final SigningKey OLD = key("old", RS256, 0, Duration.ZERO, Optional.empty());
    private static final SigningKey NEW = key("new", RS256, 1, Duration.ofHours(2), Optional.empty());
    private static final SigningKey EC = key("ec", ES256, 0, Duration.ZERO, Optional.empty());

    @Test
    void theNewestActivatedKeySignsAndAPendingOneWaitsForItsTime() {
        KeySchedule schedule = new KeySchedule(List.of(OLD, NEW, EC));
        Instant before = T0.plus(Duration.ofMinutes(90));
        assertThat(schedule.signing(RS256, before)).contains(OLD);
        assertThat(schedule.state(NEW, before)).isEqualTo(State.PENDING);
        assertThat(schedule.state(OLD, before)).isEqualTo(State.ACTIVE);
        Instant at = T0.plus(Duration.ofHours(2));
        assertThat(schedule.signing(RS256, at)).contains(NEW);
        assertThat(schedule.state(OLD, at)).isEqualTo(State.RETIRING);
        assertThat(schedule.signing(ES256, at)).contains(EC);
        assertThat(schedule.stoppedSigning(OLD, at)).contains(at);
    }

    @Test
    void withNoActivatedKeyTheFirstPendingOneSigns() {
        SigningKey retired = key("old", RS256, 0, Duration.ZERO, Optional.of(T0.plus(Duration.ofMinutes(5))));
        KeySchedule schedule = new KeySchedule(List.of(retired, NEW));
        assertThat(schedule.signing(RS256, T0.plus(Duration.ofMinutes(10)))).contains(NEW);
        assertThat(schedule.state(retired, T0)).isEqualTo(State.RETIRED);
        assertThat(new KeySchedule(List.of(retired)).signing(RS256, T0)).isEmpty();
    }

    @Test
    void aKeyRetiredBeforeItActivatedNeverStoppedAnother() {
        SigningKey retiredWhilePending = key("never", RS256, 1, Duration.ofHours(2), Optional.of(T0.plus(Duration.ofHours(1))));
        SigningKey later = key("later", RS256, 2, Duration.ofHours(5), Optional.empty());
        KeySchedule schedule = new KeySchedule(List.of(OLD, retiredWhilePending, later));
        Instant now = T0.plus(Duration.ofHours(6));
        assertThat(schedule.stoppedSigning(OLD, now)).contains(T0.plus(Duration.ofHours(5)));
        assertThat(schedule.dueForRetirement(now, Duration.ofHours(1))).containsExactly(OLD);
        assertThat(schedule.dueForRetirement(now.minusMillis(1), Duration.ofHours(1))).isEmpty();
    }

    @Test
    void rotationIsDueAnIntervalAfterTheNewestKeyNotRetiredAndTakesTheNextGeneration() {
        SigningKey retiredNewest = key("gone", RS256, 3, Duration.ofHours(3), Optional.of(T0.plus(Duration.ofHours(3))));
        KeySchedule schedule = new KeySchedule(List.of(OLD, NEW, retiredNewest));
        // NEW was made at T0+1h; the retired generation 3 does not count as the newest key.
        assertThat(schedule.rotationDue(RS256, T0.plus(Duration.ofHours(25)).minusMillis(1), Duration.ofDays(1))).isFalse();
        assertThat(schedule.rotationDue(RS256, T0.plus(Duration.ofHours(25)), Duration.ofDays(1))).isTrue();
        assertThat(schedule.nextGeneration(RS256)).isEqualTo(4);
        assertThat(schedule.nextGeneration(ES256)).isZero();
        assertThat(schedule.rotationDue(ES256, T0, Duration.ofDays(1))).isTrue();
    }

    @Test
    void theSuccessorIsTheNextKeyNotRetired() {
        KeySchedule schedule = new KeySchedule(List.of(OLD, NEW, EC));
        assertThat(schedule.successor(OLD)).contains(NEW);
        assertThat(schedule.successor(NEW)).isEmpty();
        assertThat(schedule.successor(EC)).isEmpty();
    }
}
