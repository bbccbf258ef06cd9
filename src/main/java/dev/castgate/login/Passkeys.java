package dev.castgate.login;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.CollectedClientDataConverter;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecord;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.LoginThrottleConfig;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Passkey;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passkeys (WebAuthn Level 2 public-key credentials): registered from the account page, and used
 * at sign-in either as the second step after the password, beside a TOTP code, or alone, as a
 * discoverable credential whose authenticator verified the person (a PIN, a fingerprint). The
 * relying party is the issuer: its origin is the only one accepted, its host the RP ID.
 * Verification is the library's: the challenge ({@link PasskeyChallenges}: single use, bound to
 * the page), origin, RP ID hash, user presence (always required), user verification where
 * required, the signature, and the signature counter, which must count up when it counts (a
 * counter that goes back may be a cloned key, and is refused). Registration asks for no
 * attestation and accepts whatever statement the browser sends once the library has verified it,
 * with no trust anchors: Castgate lets people choose their authenticators, and a statement it
 * cannot trace to a maker proves nothing it relies on. Uses are throttled as second-factor codes
 * are, and every registration, removal and use, right or wrong, is audited (with no challenge,
 * key or signature in it).
 */
public final class Passkeys {
    /** The longest name a person may give a passkey. */
    public static final int MAX_NAME_LENGTH = 64;
    /** ES256, EdDSA and RS256: what authenticators make, in the order the server prefers. */
    private static final List<COSEAlgorithmIdentifier> ALGORITHMS =
            List.of(COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

    /** A registration ceremony's answer, as the browser gave it (WebAuthn §5.2.1). */
    public record Attestation(byte[] clientDataJson, byte[] attestationObject, Set<String> transports) {}

    /** An authentication ceremony's answer (WebAuthn §5.2.2); the user handle comes with discoverable credentials. */
    public record Assertion(byte[] credentialId, byte[] clientDataJson, byte[] authenticatorData, byte[] signature,
                            Optional<byte[]> userHandle) {}

    /** What a page needs to start a ceremony: the challenge, and the passkeys to offer or to exclude (their ids). */
    public record Ceremony(String challenge, String rpId, List<String> credentialIds) {}

    /** The outcome of a registration. */
    public sealed interface Registration {
        record Registered(Passkey passkey) implements Registration {}
        /** The challenge was not this page's, expired or used; or the answer did not verify; or the passkey exists. */
        record Refused() implements Registration {}
    }

    /** The outcome of a passkey given at sign-in. */
    public sealed interface Check {
        /** Right: whose passkey it was, and whether the authenticator verified the person. */
        record Passed(User user, boolean userVerified) implements Check {}
        record Refused() implements Check {}
        record Throttled(long retryAfterMinutes) implements Check {}
    }

    private final Transactions transactions;
    private final Stores stores;
    private final Throttle throttle;
    private final AuditTrail audit;
    private final Clock clock;
    private final LoginThrottleConfig config;
    private final PasskeyChallenges challenges;
    private final Origin origin;
    private final String rpId;
    /**
     * The WebAuthn library's converters and verifier, made on first use, or ahead of it when a page
     * first offers a ceremony (see {@link #prepareOnce}). Not at start: building their JSON and CBOR
     * mappers took a tenth of a second, and loading the library and its JSON mapper, some 900
     * classes, kept about 7 MB resident for good, in a server that may never see a passkey.
     */
    private static final class Library {
        static final ObjectConverter CONVERTER = new ObjectConverter();
        static final WebAuthnManager WEB_AUTHN = WebAuthnManager.createNonStrictWebAuthnManager(CONVERTER);
        static final CollectedClientDataConverter CLIENT_DATA = new CollectedClientDataConverter(CONVERTER);

        private Library() {}
    }

    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    /**
     * Makes the library's converters on a thread of their own, the first time a page offers a
     * ceremony: the person then takes seconds to answer it, and the answer's check does not wait.
     */
    private static void prepareOnce() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread.ofPlatform().name("castgate-webauthn").daemon(true).start(() -> Objects.requireNonNull(Library.CLIENT_DATA));
        }
    }

    /** {@code issuer} is the issuer URL: its origin is the passkeys' origin, its host their RP ID. */
    public Passkeys(Transactions transactions, Stores stores, Throttle throttle, AuditTrail audit, Clock clock, LoginThrottleConfig config,
                    PasskeyChallenges challenges, String issuer) {
        this.transactions = transactions;
        this.stores = stores;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
        this.challenges = challenges;
        URI uri = URI.create(issuer);
        this.origin = new Origin(uri.getScheme() + "://" + uri.getRawAuthority());
        this.rpId = uri.getHost();
    }

    /** The RP ID: the issuer's host. */
    public String rpId() { return rpId; }

    /** The WebAuthn user handle of an account (§14.6.1: no personal data): its id's bytes. */
    public static String userHandle(UserId userId) { return PasskeyChallenges.encode(userId.value().getBytes(StandardCharsets.US_ASCII)); }

    public List<Passkey> list(UserId userId) { return stores.passkeys().list(userId); }

    /** Whether the account has a passkey, and so a second step at sign-in. */
    public boolean any(UserId userId) { return stores.passkeys().count(userId) > 0; }

    /** A name as given, trimmed; empty when it is blank, too long, or holds control characters. */
    public static Optional<String> name(String typed) {
        String name = typed.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) return Optional.empty();
        return Optional.of(name);
    }

    /** Registering a passkey for {@code user}, on the page with {@code csrfToken}: the account's passkeys are excluded. */
    public Ceremony registration(User user, String csrfToken) {
        return ceremony(PasskeyChallenges.Purpose.REGISTER, Optional.of(user.id()), csrfToken, ids(user.id()));
    }

    /** Signing in with a passkey alone, on the sign-in page with {@code csrfToken}: any discoverable passkey. */
    public Ceremony signIn(String csrfToken) {
        return ceremony(PasskeyChallenges.Purpose.SIGN_IN, Optional.empty(), csrfToken, List.of());
    }

    /** The second step for {@code user}: one of their passkeys. */
    public Ceremony secondStep(User user, String csrfToken) {
        return ceremony(PasskeyChallenges.Purpose.SECOND_STEP, Optional.of(user.id()), csrfToken, ids(user.id()));
    }

    private Ceremony ceremony(PasskeyChallenges.Purpose purpose, Optional<UserId> userId, String csrfToken, List<String> ids) {
        prepareOnce();
        return new Ceremony(PasskeyChallenges.encode(challenges.issue(purpose, userId, csrfToken)), rpId, ids);
    }

    private List<String> ids(UserId userId) { return list(userId).stream().map(Passkey::credentialId).toList(); }

    /**
     * Verifies a new passkey for {@code user} (who confirmed their password before the ceremony
     * began) and stores it under {@code name}.
     */
    public Registration register(User user, String name, Attestation answer, String csrfToken, String address) {
        Optional<byte[]> challenge = challengeOf(answer.clientDataJson());
        if (challenge.isEmpty() || !challenges.consume(challenge.get(), PasskeyChallenges.Purpose.REGISTER, Optional.of(user.id()), csrfToken)) {
            return refusedRegistration(user, address, challenge.isEmpty() ? "unreadable client data" : "challenge not this page's, expired or used");
        }
        RegistrationData data;
        try {
            RegistrationRequest request = new RegistrationRequest(answer.attestationObject(), answer.clientDataJson(), answer.transports());
            List<PublicKeyCredentialParameters> algorithms = ALGORITHMS.stream()
                    .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, alg)).toList();
            data = Library.WEB_AUTHN.verify(request, new RegistrationParameters(server(challenge.get()), algorithms, false, true));
        } catch (DataConversionException | VerificationException | IllegalArgumentException e) {
            return refusedRegistration(user, address, reason(e));
        }
        var authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticatorData.getAttestedCredentialData();
        Set<String> transports = new TreeSet<>();
        if (data.getTransports() != null) data.getTransports().forEach(t -> transports.add(t.getValue()));
        Passkey passkey = new Passkey(PasskeyChallenges.encode(credential.getCredentialId()), user.id(),
                PasskeyChallenges.encode(Library.CONVERTER.getCborConverter().writeValueAsBytes(credential.getCOSEKey())),
                authenticatorData.getSignCount(), String.join(" ", transports), name, clock.instant(), Optional.empty());
        boolean stored = transactions.inTransaction(tx -> {
            if (!tx.passkeys().insert(passkey)) return false;
            tx.audit().record(audit.success(AuditEvent.Type.PASSKEY_REGISTERED).user(user.id()).address(address)
                    .detail(authenticatorData.isFlagUV() ? "user verified" : "user present"));
            return true;
        });
        return stored ? new Registration.Registered(passkey) : refusedRegistration(user, address, "credential registered already");
    }

    private Registration refusedRegistration(User user, String address, String detail) {
        stores.audit().record(audit.failure(AuditEvent.Type.PASSKEY_REGISTERED).user(user.id()).address(address).detail(detail));
        return new Registration.Refused();
    }

    /** Removes one of the account's passkeys (the caller has checked the password); false when it has none with that id. */
    public boolean remove(User user, String credentialId, String address) {
        return transactions.inTransaction(tx -> {
            Optional<Passkey> passkey = tx.passkeys().find(credentialId).filter(p -> p.userId().equals(user.id()));
            if (passkey.isEmpty() || !tx.passkeys().remove(user.id(), credentialId)) return false;
            tx.audit().record(audit.success(AuditEvent.Type.PASSKEY_REMOVED).user(user.id()).address(address));
            return true;
        });
    }

    /**
     * The second step of {@code user}'s sign-in (or step-up): one of their passkeys, the person
     * present; their verification by the authenticator is welcome, and reported, but not needed
     * after the password. Throttled as second-factor codes are: per account, per account and
     * address, and per address.
     */
    public Check secondStep(User user, Assertion answer, String csrfToken, String address) {
        Throttle.Key pair = SignInKeys.secondFactorFrom(user.id(), address);
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(pair, config.maxFailuresPerAccountAndAddress()),
                new Throttle.Limit(SignInKeys.secondFactor(user.id()), config.maxFailuresPerAccount()),
                new Throttle.Limit(SignInKeys.address(address), config.maxFailuresPerAddress())));
        if (attempt.refused()) return throttled(Optional.of(user.id()), address, "passkey, second step");
        Optional<Passkey> passkey = stores.passkeys().find(PasskeyChallenges.encode(answer.credentialId()));
        String failure;
        if (passkey.isEmpty() || !passkey.get().userId().equals(user.id())) {
            failure = "unknown passkey";
            challengeOf(answer.clientDataJson()).ifPresent(c -> challenges.consume(c, PasskeyChallenges.Purpose.SECOND_STEP, Optional.of(user.id()), csrfToken));
        } else {
            failure = verify(passkey.get(), answer, PasskeyChallenges.Purpose.SECOND_STEP, Optional.of(user.id()), csrfToken, false).orElse(null);
        }
        return settle(attempt, pair, user, failure, answer, address, "second step");
    }

    /**
     * A sign-in with a passkey alone: a discoverable passkey whose authenticator verified the
     * person, which makes two factors. Throttled per address, and per account and address once
     * the passkey names an account; not per account alone, which anyone who learnt a passkey's id
     * could otherwise lock.
     */
    public Check signIn(Assertion answer, String csrfToken, String address) {
        Optional<Passkey> passkey = stores.passkeys().find(PasskeyChallenges.encode(answer.credentialId()));
        Optional<User> user = passkey.flatMap(p -> stores.users().find(p.userId()));
        List<Throttle.Limit> limits = new ArrayList<>();
        limits.add(new Throttle.Limit(SignInKeys.address(address), config.maxFailuresPerAddress()));
        Optional<Throttle.Key> pair = user.map(u -> SignInKeys.secondFactorFrom(u.id(), address));
        pair.ifPresent(key -> limits.add(new Throttle.Limit(key, config.maxFailuresPerAccountAndAddress())));
        Throttle.Attempt attempt = throttle.begin(limits);
        if (attempt.refused()) return throttled(user.map(User::id), address, "passkey, without password");
        String failure;
        if (user.isEmpty()) {
            failure = "unknown passkey";
            challengeOf(answer.clientDataJson()).ifPresent(c -> challenges.consume(c, PasskeyChallenges.Purpose.SIGN_IN, Optional.empty(), csrfToken));
        } else if (answer.userHandle().filter(h -> Arrays.equals(h, user.get().id().value().getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
            failure = "user handle not the passkey's account";
            challengeOf(answer.clientDataJson()).ifPresent(c -> challenges.consume(c, PasskeyChallenges.Purpose.SIGN_IN, Optional.empty(), csrfToken));
        } else {
            failure = verify(passkey.get(), answer, PasskeyChallenges.Purpose.SIGN_IN, Optional.empty(), csrfToken, true).orElse(null);
            if (failure == null && user.get().disabled()) failure = "account disabled";
        }
        if (user.isEmpty()) {
            throttle.settle(attempt);
            stores.audit().record(audit.failure(AuditEvent.Type.PASSKEY_SIGN_IN).address(address).detail("without password: " + failure));
            return new Check.Refused();
        }
        return settle(attempt, pair.get(), user.get(), failure, answer, address, "without password");
    }

    private Check settle(Throttle.Attempt attempt, Throttle.Key pair, User user, String failure, Assertion answer, String address, String how) {
        if (failure != null) {
            throttle.settle(attempt);
            stores.audit().record(audit.failure(AuditEvent.Type.PASSKEY_SIGN_IN).user(user.id()).address(address).detail(how + ": " + failure));
            return new Check.Refused();
        }
        throttle.takeBack(attempt, List.of(pair));
        boolean verified = userVerified(answer);
        stores.audit().record(audit.success(AuditEvent.Type.PASSKEY_SIGN_IN).user(user.id()).address(address)
                .detail(how + (verified ? ", user verified" : ", user present")));
        return new Check.Passed(user, verified);
    }

    private Check throttled(Optional<UserId> userId, String address, String detail) {
        stores.audit().record(audit.failure(AuditEvent.Type.LOGIN_THROTTLED).user(userId).address(address).detail(detail));
        return new Check.Throttled(throttle.retryAfterMinutes());
    }

    /** Checks an assertion of {@code passkey} and records its use; the reason it failed, or empty when it is right. */
    private Optional<String> verify(Passkey passkey, Assertion answer, PasskeyChallenges.Purpose purpose, Optional<UserId> userId,
                                    String csrfToken, boolean userVerification) {
        Optional<byte[]> challenge = challengeOf(answer.clientDataJson());
        if (challenge.isEmpty()) return Optional.of("unreadable client data");
        if (!challenges.consume(challenge.get(), purpose, userId, csrfToken)) return Optional.of("challenge not this page's, expired or used");
        AuthenticationData data;
        try {
            AuthenticationRequest request = new AuthenticationRequest(answer.credentialId(), answer.userHandle().orElse(null),
                    answer.authenticatorData(), answer.clientDataJson(), null, answer.signature());
            List<byte[]> allowed = purpose == PasskeyChallenges.Purpose.SIGN_IN ? null : List.of(answer.credentialId());
            data = Library.WEB_AUTHN.verify(request, new AuthenticationParameters(server(challenge.get()), record(passkey), allowed, userVerification, true));
        } catch (DataConversionException | VerificationException | IllegalArgumentException e) {
            return Optional.of(reason(e));
        }
        long count = data.getAuthenticatorData().getSignCount();
        if (!stores.passkeys().recordUse(passkey.credentialId(), passkey.signCount(), count, clock.instant())) {
            return Optional.of("passkey removed or used at the same time");
        }
        return Optional.empty();
    }

    private static boolean userVerified(Assertion answer) {
        // The flags byte follows the 32-byte RP ID hash (WebAuthn §6.1); the library checked it already.
        return answer.authenticatorData().length > 32 && (answer.authenticatorData()[32] & 0x04) != 0;
    }

    /** The stored passkey as the library checks an assertion against it. */
    private CredentialRecord record(Passkey passkey) {
        COSEKey key = Library.CONVERTER.getCborConverter().readValue(Base64.getUrlDecoder().decode(passkey.publicKey()), COSEKey.class);
        AttestedCredentialData credential = new AttestedCredentialData(AAGUID.ZERO, Base64.getUrlDecoder().decode(passkey.credentialId()), key);
        Set<AuthenticatorTransport> transports = new HashSet<>();
        for (String t : passkey.transports().split(" ")) if (!t.isEmpty()) transports.add(AuthenticatorTransport.create(t));
        return new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, passkey.signCount(), credential, null, null, null,
                transports);
    }

    private ServerProperty server(byte[] challenge) {
        return new ServerProperty(origin, rpId, new DefaultChallenge(challenge));
    }

    /** The challenge the client data names; empty when it is no client data. */
    private Optional<byte[]> challengeOf(byte[] clientDataJson) {
        try {
            CollectedClientData data = Library.CLIENT_DATA.convert(clientDataJson);
            return data == null || data.getChallenge() == null ? Optional.empty() : Optional.of(data.getChallenge().getValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the library refused, by the name of its exception (its messages may quote what was received). */
    private static String reason(Exception e) {
        return "refused: " + e.getClass().getSimpleName();
    }
}
