package dev.castgate.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys this node holds, read from the database so every node signs with the same
 * ones. Each key is read, decrypted and parsed once, when the node first sees its row; signing
 * reuses the parsed signer and the JWKS document is serialised once per change. Which key signs
 * is decided at each signature from the rows' activation times ({@link KeySchedule}), so nodes
 * switch together; the rows are reread every {@code keys.reread_interval}, and at once when a
 * token names a key this node has not seen. Signing starts on the JDK's provider and moves to
 * the native one ({@link NativeSigning}) once that has loaded, in the background.
 */
public final class SigningKeys implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    /** A token naming an unknown key rereads the rows at most this often, so such tokens cannot make a query each. */
    private static final Duration UNKNOWN_KID_PAUSE = Duration.ofSeconds(1);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** A key ready to sign with; {@code provider} names the JCA provider that signs. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer, String provider) {}

    /** A key made by {@link #make}: its row and its JWK JSON, private part included. */
    record Made(SigningKey key, String jwkJson) {}

    /** A key this node has parsed: its JWK and its signer. */
    private record Loaded(JWK jwk, ActiveKey signing) {}

    /**
     * What the node holds, replaced whole when the rows change: the rows as read, the schedule
     * of the keys it could load, those keys by kid, the kids of retired keys, and the JWKS.
     */
    private record Held(List<SigningKey> rows, KeySchedule schedule, Map<String, Loaded> loaded, Set<String> retired, String jwksJson) {}

    private final SigningKeyStore store;
    private final Clock clock;
    private volatile Held held;
    /** The native provider once it signs correctly; null until then, or where it does not load. */
    private volatile Provider nativeProvider;
    private final AtomicLong nextUnknownKidReread = new AtomicLong(System.nanoTime());
    /** Keys that did not open or parse, warned about once each. */
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    private final Map<HeaderKey, EncodedHeader> headers = new ConcurrentHashMap<>();
    /** The kid of each header {@link #header} made, by its encoding. */
    private final Map<String, String> kidsByEncodedHeader = new ConcurrentHashMap<>();
    private ScheduledExecutorService rereading;

    private SigningKeys(SigningKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Loads the keys, creating an RS256 and an ES256 key where an algorithm has none to sign with
     * (on first start). Two nodes starting at once both try; the (algorithm, generation) index
     * lets one key in, and both sign with it.
     */
    public static SigningKeys loadOrCreate(SigningKeyStore store, Clock clock) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        KeySchedule schedule = new KeySchedule(store.list());
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (schedule.signing(algorithm, now).isEmpty()) {
                // No relying party knows any key yet, so the first one signs at once.
                Made made = make(algorithm, schedule.nextGeneration(algorithm), now, now);
                if (store.insert(made.key(), made.jwkJson())) {
                    log.info("generated a new {} signing key {} and stored it in the database", algorithm, made.key().kid());
                }
            }
        }
        SigningKeys keys = new SigningKeys(store, clock);
        keys.reread();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (keys.held.schedule.signing(algorithm, now).isEmpty()) {
                throw new IllegalStateException("the database holds no " + algorithm + " signing key this node can use");
            }
        }
        return keys;
    }

    /** The key that signs {@code algorithm}'s tokens now, by the rows' activation times. */
    public ActiveKey active(SigningAlgorithm algorithm) {
        Held h = held;
        SigningKey key = h.schedule.signing(algorithm, clock.instant())
                .orElseThrow(() -> new IllegalStateException("no " + algorithm + " signing key"));
        return h.loaded.get(key.kid()).signing();
    }

    /**
     * A JWT of {@code type} over {@code claims}, signed by the key that signs {@code algorithm}'s
     * tokens now: the JWS compact serialisation (RFC 7515 §7.1) of the header, the claims and the
     * signature over both. The header is the same for every token of a key and type, so it is
     * built and encoded once ({@link #header}); the claims are serialised and encoded once, and
     * the signer signs the bytes. The library's {@code SignedJWT} built the header and encoded
     * both parts anew at every token: under ES256 token load, making a JWT access token took
     * 6.5 % of the server's CPU beside the signature itself, and 4 % this way.
     */
    public String sign(SigningAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims, String what) {
        ActiveKey key = active(algorithm);
        EncodedHeader header = header(key, type);
        String signingInput = header.encoded() + '.' + BASE64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            return signingInput + '.' + key.signer().sign(header.header(), signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign " + what, e);
        }
    }

    /** A JWS header and its base64url encoding, the first part of every token it heads. */
    private record EncodedHeader(JWSHeader header, String encoded) {}

    private record HeaderKey(String kid, JOSEObjectType type) {}

    /**
     * The header of {@code key}'s tokens of {@code type}, made once. A handful per key (one per
     * type of token), kept while the node runs: a key is rotated every few months.
     */
    private EncodedHeader header(ActiveKey key, JOSEObjectType type) {
        return headers.computeIfAbsent(new HeaderKey(key.kid(), type), k -> {
            JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(k.kid()).type(k.type()).build();
            EncodedHeader encoded = new EncodedHeader(header, header.toBase64URL().toString());
            kidsByEncodedHeader.put(encoded.encoded(), k.kid());
            return encoded;
        });
    }

    /** The public keys as a JWK Set (RFC 7517 §5): pending, active and retiring keys; retired ones are gone. */
    public String jwksJson() { return held.jwksJson; }

    /** The public key of the published key named {@code kid}, from the keys already parsed, to check a token this server signed. */
    public Optional<JWK> publishedKey(String kid) {
        return Optional.ofNullable(held.loaded.get(kid)).map(key -> key.jwk().toPublicJWK());
    }

    /**
     * Whether a token Castgate issued is still backed by a published key: an opaque token always;
     * a JWT while the key named by its {@code kid} is not retired. Castgate finds its own tokens
     * by their hash, so this is not a signature check; it makes a retired key's tokens stop working
     * here as they do at relying parties, which no longer find the key.
     */
    public boolean stillPublished(String token) {
        int dot = token.indexOf('.');
        if (dot < 0) return true;
        String encodedHeader = token.substring(0, dot);
        // A header this node made is known by its encoding; only another's is parsed.
        String kid = kidsByEncodedHeader.get(encodedHeader);
        if (kid == null) {
            try {
                kid = JWSHeader.parse(new Base64URL(encodedHeader)).getKeyID();
            } catch (ParseException e) {
                return false;
            }
        }
        if (kid == null) return false;
        Held h = held;
        if (h.loaded.containsKey(kid)) return true;
        if (h.retired.contains(kid)) return false;
        // A key another node made since this node last read the rows (signing at once, with no activation delay).
        rereadForUnknownKid();
        return held.loaded.containsKey(kid);
    }

    /**
     * Reads the rows and, where they changed, takes the change: new keys are read, decrypted and
     * parsed (each once), retired ones dropped, and the JWKS made again. Returns whether anything changed.
     */
    public synchronized boolean reread() {
        List<SigningKey> rows = store.list();
        Held before = held;
        if (before != null && before.rows.equals(rows)) return false;
        Map<String, Loaded> loaded = new HashMap<>();
        Set<String> retired = new HashSet<>();
        List<SigningKey> usable = new ArrayList<>();
        List<JWK> published = new ArrayList<>();
        for (SigningKey row : rows) {
            if (row.retired()) {
                retired.add(row.kid());
                continue;
            }
            Loaded key = before == null ? null : before.loaded.get(row.kid());
            if (key == null) key = load(row).orElse(null);
            if (key == null) continue;
            loaded.put(row.kid(), key);
            usable.add(row);
            published.add(key.jwk().toPublicJWK());
        }
        held = new Held(rows, new KeySchedule(usable), loaded, retired, new JWKSet(published).toString(true));
        if (before != null) {
            Instant now = clock.instant();
            log.info("signing keys changed: {} published; signing RS256 with {}, ES256 with {}", loaded.size(),
                    held.schedule.signing(SigningAlgorithm.RS256, now).map(SigningKey::kid).orElse("none"),
                    held.schedule.signing(SigningAlgorithm.ES256, now).map(SigningKey::kid).orElse("none"));
        }
        return true;
    }

    /** Rereads the rows every {@code interval} on a thread of its own; a failed read is tried again at the next. */
    public synchronized void rereadEvery(Duration interval) {
        if (rereading != null) return;
        rereading = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "castgate-signing-keys");
            thread.setDaemon(true);
            return thread;
        });
        rereading.scheduleWithFixedDelay(this::rereadLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Rereads the rows soon, on the rereading thread when there is one (the caller, such as the
     * database's change listener, then does not wait for a new key to be decrypted), else now.
     */
    public void rereadSoon() {
        ScheduledExecutorService executor;
        synchronized (this) {
            executor = rereading;
        }
        if (executor == null) rereadLogged();
        else executor.execute(this::rereadLogged);
    }

    /** Loads the native provider on a thread of its own and, once it signs correctly, signs with it. */
    public void useNativeProviderInBackground() {
        Thread.ofPlatform().name("castgate-native-crypto").daemon(true).start(this::useNativeProvider);
    }

    /** Moves signing to the native provider if it loads; the JDK's signers stay otherwise. Keys read later use it too. */
    public void useNativeProvider() {
        Optional<Provider> provider = NativeSigning.load();
        if (provider.isEmpty()) return;
        synchronized (this) {
            Held h = held;
            Map<String, Loaded> upgraded = new HashMap<>();
            for (Map.Entry<String, Loaded> entry : h.loaded.entrySet()) {
                ActiveKey current = entry.getValue().signing();
                try {
                    JWSSigner signer = NativeSigning.signer(entry.getValue().jwk(), current.algorithm(), provider.get());
                    upgraded.put(entry.getKey(), new Loaded(entry.getValue().jwk(),
                            new ActiveKey(current.kid(), current.algorithm(), signer, provider.get().getName())));
                } catch (GeneralSecurityException | JOSEException e) {
                    log.warn("the native crypto provider cannot sign {} ({}); signing with the JDK's provider", current.algorithm(), e.toString());
                    return;
                }
            }
            held = new Held(h.rows, h.schedule, upgraded, h.retired, h.jwksJson);
            nativeProvider = provider.get();
        }
        log.info("signing with the native crypto provider {} {}", provider.get().getName(), provider.get().getVersionStr());
    }

    @Override
    public synchronized void close() {
        if (rereading != null) rereading.shutdownNow();
    }

    /** A new key of {@code algorithm}, its kid the JWK thumbprint (RFC 7638). */
    static Made make(SigningAlgorithm algorithm, int generation, Instant createdAt, Instant activatesAt) {
        try {
            JWK jwk = switch (algorithm) {
                case RS256 -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                        .keyIDFromThumbprint(true).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                        .keyIDFromThumbprint(true).generate();
            };
            return new Made(new SigningKey(jwk.getKeyID(), algorithm, generation, createdAt, activatesAt, Optional.empty()), jwk.toJSONString());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private void rereadLogged() {
        try {
            reread();
        } catch (RuntimeException e) {
            // The node keeps signing with the keys it holds; the next read tries again.
            log.warn("could not reread the signing keys ({}); trying again in a moment", e.toString());
        }
    }

    private void rereadForUnknownKid() {
        long now = System.nanoTime();
        long next = nextUnknownKidReread.get();
        if (now - next < 0 || !nextUnknownKidReread.compareAndSet(next, now + UNKNOWN_KID_PAUSE.toNanos())) return;
        rereadLogged();
    }

    /**
     * Reads, decrypts and parses one key. One that does not open (written by a node with another
     * key file, after {@code keys reencrypt}) or does not parse is left out, with one warning: this
     * node goes on with the keys it has.
     */
    private Optional<Loaded> load(SigningKey row) {
        try {
            Optional<String> json = store.findJwk(row.kid());
            if (json.isEmpty()) return Optional.empty(); // retired since the rows were read
            JWK jwk = JWK.parse(json.get());
            JWSAlgorithm algorithm = new JWSAlgorithm(row.algorithm().name());
            Provider provider = nativeProvider;
            if (provider != null) {
                try {
                    return Optional.of(new Loaded(jwk, new ActiveKey(row.kid(), algorithm, NativeSigning.signer(jwk, algorithm, provider),
                            provider.getName())));
                } catch (GeneralSecurityException | JOSEException e) {
                    log.warn("the native crypto provider cannot sign with key {} ({}); the JDK's provider signs with it", row.kid(), e.toString());
                }
            }
            return Optional.of(new Loaded(jwk, new ActiveKey(row.kid(), algorithm, signer(jwk), "the JDK")));
        } catch (KeyFileProblem | ParseException | IllegalStateException e) {
            if (unusable.add(row.kid())) {
                log.warn("signing key {} cannot be used on this node and is left out ({}); restart the node with the key file "
                        + "the other nodes use", row.kid(), e.getMessage());
            }
            return Optional.empty();
        }
    }

    private static JWSSigner signer(JWK jwk) {
        try {
            if (jwk instanceof RSAKey rsa) return new RSASSASigner(rsa);
            if (jwk instanceof ECKey ec) return new ECDSASigner(ec);
        } catch (KeyLengthException e) {
            throw new IllegalStateException("signing key " + jwk.getKeyID() + " is too short", e);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key " + jwk.getKeyID() + " cannot sign", e);
        }
        throw new IllegalStateException("signing key " + jwk.getKeyID() + " has an unsupported type");
    }
}
