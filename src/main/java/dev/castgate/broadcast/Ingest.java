package dev.castgate.broadcast;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.BroadcastConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Channel;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.login.Throttle;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A channel's ingest keys: the permanent (rotatable) channel key, the short-lived streaming key,
 * and the check an ingest server makes before a publish starts.
 */
public final class Ingest {
    /** A streaming key lives 10 minutes; each ingest request before it expires adds 10 more. */
    public static final Duration STREAMING_KEY_TTL = Duration.ofMinutes(10);
    /** However often the settings are asked for, a streaming key never runs more than an hour ahead. */
    public static final Duration STREAMING_KEY_MAX_AHEAD = Duration.ofHours(1);

    /** What {@code channels/{id}/ingest} shows. */
    public record Settings(String rtmpUrl, String rtmpsUrl, String streamName, String channelKey, String streamingKey,
                           long streamingKeyExpiresIn) {}

    /**
     * How a publish check ended; refusals name their reason for the audit trail only, and carry
     * the audit event's detail when this refusal was the one recorded for its address and window.
     */
    public sealed interface Decision {
        record Allowed(String channelId, String by) implements Decision {}
        record Refused(String reason, Optional<String> recorded) implements Decision {
            Refused(String reason) { this(reason, Optional.empty()); }
        }
    }

    private final Transactions transactions;
    private final Stores stores;
    private final IngestKeys keys;
    private final RandomTokens random;
    private final AuditTrail audit;
    private final Clock clock;
    private final BroadcastConfig config;
    private final Throttle throttle;

    public Ingest(Transactions transactions, Stores stores, String secret, RandomTokens random, AuditTrail audit, Clock clock,
                  BroadcastConfig config, Throttle throttle) {
        this.transactions = transactions;
        this.stores = stores;
        this.keys = new IngestKeys(secret);
        this.random = random;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
        this.throttle = throttle;
    }

    /** A new channel with fresh keys; its streaming key is made on the first ingest request. Its stream name is its id. */
    public Channel newChannel(UserId ownerId, String title, String description) {
        String id = random.hex40().substring(0, 20);
        Instant now = clock.instant();
        String channelNonce = random.hex40();
        String streamingNonce = random.hex40();
        return new Channel(id, ownerId, title, description, id, channelNonce, IngestKeys.hash(keys.channelKey(id, channelNonce)),
                streamingNonce, IngestKeys.hash(keys.streamingKey(id, streamingNonce)), now, now);
    }

    /**
     * The ingest settings: extends a live streaming key by {@link #STREAMING_KEY_TTL} (at most
     * {@link #STREAMING_KEY_MAX_AHEAD} from now) or makes a new one when it has expired. Empty
     * when the channel no longer exists.
     */
    public Optional<Settings> settings(String channelId) {
        return transactions.inTransaction(tx -> {
            // A conditional update per attempt: when another node replaced the key meanwhile, read it again.
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<Channel> found = tx.channels().find(channelId);
                if (found.isEmpty()) return Optional.empty();
                Channel c = found.get();
                Instant now = clock.instant();
                if (c.streamingKeyExpiresAt().isAfter(now)) {
                    Instant extended = min(c.streamingKeyExpiresAt().plus(STREAMING_KEY_TTL), now.plus(STREAMING_KEY_MAX_AHEAD));
                    if (tx.channels().extendStreamingKey(c.id(), c.streamingKeyHash(), extended)) {
                        return Optional.of(settings(c, keys.streamingKey(c.id(), c.streamingKeyNonce()), extended, now));
                    }
                } else {
                    String nonce = random.hex40();
                    String key = keys.streamingKey(c.id(), nonce);
                    Instant expires = now.plus(STREAMING_KEY_TTL);
                    if (tx.channels().replaceStreamingKey(c.id(), c.streamingKeyHash(), nonce, IngestKeys.hash(key), expires)) {
                        return Optional.of(settings(c, key, expires, now));
                    }
                }
            }
            throw new IllegalStateException("the streaming key kept changing under this request");
        });
    }

    private Settings settings(Channel c, String streamingKey, Instant expires, Instant now) {
        // Rounded up: the stored expiry has millisecond precision, the clock may have more.
        long expiresIn = Math.max(0, (Duration.between(now, expires).toMillis() + 999) / 1000);
        return new Settings(config.rtmpUrl(), config.rtmpsUrl(), c.streamName(), keys.channelKey(c.id(), c.channelKeyNonce()),
                streamingKey, expiresIn);
    }

    /** Replaces the channel key and ends the streaming key: neither old key publishes again. */
    public void rotate(Channel channel, Optional<UserId> userId, ClientId clientId) {
        transactions.inTransaction(tx -> {
            String channelNonce = random.hex40();
            String streamingNonce = random.hex40();
            tx.channels().rotateKeys(channel.id(), channelNonce, IngestKeys.hash(keys.channelKey(channel.id(), channelNonce)),
                    streamingNonce, IngestKeys.hash(keys.streamingKey(channel.id(), streamingNonce)), clock.instant());
            tx.audit().record(audit.success(AuditEvent.Type.CHANNEL_KEY_ROTATED).user(userId).client(clientId)
                    .detail("channel " + channel.id()));
            return null;
        });
    }

    /**
     * nginx-rtmp's on_publish question: may this stream name be published with this key, or with
     * this device password? Every comparison is of SHA-256 hashes, in constant time. Refusals are
     * throttled per address: the attempt is recorded before it is checked ({@link Throttle}), and
     * past {@code broadcast.max_refusals_per_address} in the window it is refused unchecked.
     */
    public Decision check(String streamName, Optional<String> key, Optional<String> user, Optional<String> pass, String address) {
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(Throttle.Kind.PUBLISH_ADDRESS.of(address), config.maxRefusalsPerAddress())));
        if (attempt.refused()) return refuse(Optional.empty(), "too many refused publishes from this address", address);
        Instant now = clock.instant();
        Optional<Channel> found = stores.channels().findByStreamName(streamName);
        Decision decision = ownerDisabled(decide(stores, found, key, user, pass, now), found);
        if (decision instanceof Decision.Refused refused) {
            throttle.settle(attempt);
            return refuse(found.map(Channel::ownerId), refused.reason(), address);
        }
        throttle.takeBack(attempt);
        return decision;
    }

    /**
     * Refusals are aggregated per address in fixed windows of the throttle's length (counted in
     * the rate-limit table): the first refusal of a window writes the audit event, naming how many
     * refusals the address's previous window had in all; the later ones are only counted. A
     * window's counter outlives it by one window, for the next window's first event to read.
     */
    private Decision.Refused refuse(Optional<UserId> owner, String reason, String address) {
        long window = throttle.window().toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, window);
        String bucket = "publish-refused:" + address;
        Optional<String> recorded = transactions.inTransaction(tx -> {
            if (tx.rateLimits().hit(bucket, start, start + 2 * window) > 1) return Optional.<String>empty();
            int before = tx.rateLimits().hits(bucket, start - window);
            String detail = before == 0 ? reason
                    : reason + "; " + before + " refused from this address in the previous " + window / 1000 + "s window";
            tx.audit().record(audit.failure(AuditEvent.Type.PUBLISH_REFUSED).user(owner).address(address).detail(detail));
            return Optional.of(detail);
        });
        return new Decision.Refused(reason, recorded);
    }

    private static Decision decide(Stores stores, Optional<Channel> found, Optional<String> key, Optional<String> user,
                                   Optional<String> pass, Instant now) {
        if (found.isEmpty()) return new Decision.Refused("unknown stream name");
        Channel channel = found.get();
        if (key.isPresent()) {
            TokenHash presented = IngestKeys.hash(key.get());
            boolean channelKey = Hashes.constantTimeEquals(presented, channel.channelKeyHash());
            boolean streamingKey = Hashes.constantTimeEquals(presented, channel.streamingKeyHash());
            if (channelKey) return new Decision.Allowed(channel.id(), "channel key");
            if (streamingKey && channel.streamingKeyExpiresAt().isAfter(now)) return new Decision.Allowed(channel.id(), "streaming key");
            return new Decision.Refused(streamingKey ? "expired streaming key" : "wrong key");
        }
        if (user.isPresent() && pass.isPresent()) {
            Optional<DevicePassword> password = stores.devicePasswords().find(user.get());
            if (password.isEmpty() || !password.get().userId().equals(channel.ownerId())) {
                return new Decision.Refused("no such device password for this channel");
            }
            if (!Hashes.constantTimeEquals(IngestKeys.hash(pass.get()), password.get().passwordHash())) {
                return new Decision.Refused("wrong device password");
            }
            if (!password.get().validAt(now)) return new Decision.Refused("device password outside its validity");
            return new Decision.Allowed(channel.id(), "device password " + user.get());
        }
        return new Decision.Refused("no credentials");
    }

    /**
     * A disabled account's channels do not go live: its keys and device passwords are kept, and
     * publish again once it is enabled. Looked up only for a publish the keys allowed.
     */
    private Decision ownerDisabled(Decision decision, Optional<Channel> channel) {
        if (!(decision instanceof Decision.Allowed)) return decision;
        boolean disabled = channel.flatMap(c -> stores.users().find(c.ownerId())).map(User::disabled).orElse(true);
        return disabled ? new Decision.Refused("the channel's owner is disabled") : decision;
    }

    private static Instant min(Instant a, Instant b) { return a.isBefore(b) ? a : b; }
}
