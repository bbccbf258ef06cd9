package dev.castgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move forward instead of sleeping. Starts at the real time, so cookies and JWTs look sane. */
public final class MutableClock extends Clock {
    private volatile Instant now = Instant.now();
    /** Added after every read, to show what a request does with several reads of the time; zero by default. */
    private volatile Duration tick = Duration.ZERO;

    public synchronized void advance(Duration by) { now = now.plus(by); }

    /** From now on every read moves the clock on by {@code by} (zero: it stands still again). */
    public void tickOnEachRead(Duration by) { tick = by; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public synchronized Instant instant() {
        Instant read = now;
        now = read.plus(tick);
        return read;
    }
}
