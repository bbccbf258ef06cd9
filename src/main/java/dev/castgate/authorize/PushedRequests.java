package dev.castgate.authorize;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.PushedAuthorizationRequest;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.http.QueryStrings;
import dev.castgate.store.PushedAuthorizationRequestStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pushed authorization requests (RFC 9126): kept when a client pushes one, and taken at the
 * authorization endpoint by its {@code request_uri}.
 *
 * <p>Single use: the first {@code /authorize} that names the {@code request_uri} takes the pushed
 * request, deleting it, and from then on the sign-in and consent forms carry the validated request
 * onwards as they carry any other (their hidden fields), so a second use of the {@code request_uri},
 * by anyone, is refused. What the forms carry, a pushed request's parameters, goes with a seal: an
 * HMAC of the parameters and an expiry, under a key the nodes share. It proves, where pushing is
 * required, that the parameters posted back are the ones the client pushed; any change to them
 * breaks the seal, and the request is then one that was not pushed. Taking the request at the end
 * instead (the code issued) would leave the {@code request_uri} alive through the whole sign-in, for
 * anyone who learns it, and would need it to outlive its short lifetime there.
 */
public final class PushedRequests {
    /** RFC 9126 §2.2: the request_uri's form; the random part after the prefix is kept only as its hash. */
    static final String URN_PREFIX = RequestObjects.PAR_URN_PREFIX;
    /** The form field and query parameter that carries a pushed request's seal. */
    static final String SEAL_FIELD = "pushed_request";
    /** How long the forms may carry a pushed request on: the sign-in, a second factor, the consent. */
    private static final Duration SEAL_TTL = Duration.ofMinutes(30);
    private static final Pattern SEAL = Pattern.compile("([0-9]{1,15})\\.([A-Za-z0-9_-]{43})");
    private static final String HMAC = "HmacSHA256";

    /** A pushed request's answer (RFC 9126 §2.2). */
    public record Pushed(String requestUri, long expiresIn) {}

    private final AuthorizationRequestParser parser;
    private final PushedAuthorizationRequestStore store;
    private final RandomTokens random;
    private final Clock clock;
    private final Duration requestUriTtl;
    private final boolean required;
    private final SecretKeySpec key;

    /**
     * {@code required}: the server accepts only pushed requests ({@code par.required}); {@code secret}
     * is the seal's HMAC key, shared by every node through the database.
     */
    public PushedRequests(AuthorizationRequestParser parser, PushedAuthorizationRequestStore store, RandomTokens random, Clock clock,
                          Duration requestUriTtl, boolean required, String secret) {
        this.parser = parser;
        this.store = store;
        this.random = random;
        this.clock = clock;
        this.requestUriTtl = requestUriTtl;
        this.required = required;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** Whether every authorization request must be pushed, as discovery says (RFC 9126 §5). */
    public boolean required() { return required; }

    /**
     * Checks {@code form} as an authorization request of {@code client} and keeps it (RFC 9126
     * §2.1); the client's credentials are not among what is kept. A request pushed with a DPoP
     * proof binds its code to the proof's key ({@code provenKey}), which a {@code dpop_jkt} it
     * names must be (RFC 9449 §10.1).
     */
    Pushed push(Client client, Form form, Optional<String> provenKey) {
        AuthorizationRequest parsed = parser.parsePushed(form, client);
        if (provenKey.isPresent() && parsed.dpopJkt().isPresent() && !parsed.dpopJkt().equals(provenKey)) {
            throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "dpop_jkt is not the thumbprint of the DPoP proof's key");
        }
        AuthorizationRequest request = provenKey.map(parsed::boundTo).orElse(parsed);
        String reference = random.urlSafe256();
        Instant now = clock.instant();
        store.insert(new PushedAuthorizationRequest(Hashes.tokenHash(reference), client.id(),
                QueryStrings.of(request.toParameters()), now.plus(requestUriTtl)));
        return new Pushed(URN_PREFIX + reference, requestUriTtl.toSeconds());
    }

    /**
     * The request the authorization endpoint serves: a pushed one, taken by its {@code request_uri}
     * (RFC 9126 §4), its other parameters ignored; one the forms carry on under its seal; or the
     * parameters as sent, in a request object or not, where no one requires pushing. A request that
     * should have been pushed, or sent in a signed request object (RFC 9101 §10.5), goes back to the
     * client as invalid_request.
     */
    AuthorizationRequest resolve(Form form) {
        Optional<String> requestUri = form.lenient("request_uri").filter(uri -> uri.startsWith(URN_PREFIX));
        if (requestUri.isPresent()) return take(form, requestUri.get());
        AuthorizationRequest request = parser.parse(form);
        if (sealed(form, request)) return request.asPushed();
        if (required || request.client().requirePushedAuthorizationRequests()) {
            throw request.refused(OAuthError.INVALID_REQUEST,
                    "authorization requests must be pushed to the pushed authorization request endpoint first (RFC 9126)");
        }
        if (!request.pushed() && parser.signedObjectRequired(request.client())) {
            throw request.refused(OAuthError.INVALID_REQUEST, AuthorizationRequestParser.SIGNED_OBJECT_REQUIRED);
        }
        return request;
    }

    /**
     * The parameters the forms carry on: the request's, and the seal of a request its client sent
     * itself, pushed or in a signed request object, so that no one changes it on the way.
     */
    Map<String, String> carried(AuthorizationRequest request) {
        Map<String, String> params = request.toParameters();
        if (!request.pushed()) return params;
        Map<String, String> sealed = new LinkedHashMap<>(params);
        long until = clock.instant().plus(SEAL_TTL).toEpochMilli();
        sealed.put(SEAL_FIELD, until + "." + mac(until, params));
        return sealed;
    }

    /**
     * RFC 9126 §4: the request_uri must name an unexpired request of the client named by
     * client_id that was not taken before. Whose redirect URI an unknown one would have named is
     * unknown, so every refusal is a page, never a redirect.
     */
    private AuthorizationRequest take(Form form, String requestUri) {
        if (form.repeated("client_id")) throw invalidLink("error.client_repeated");
        String clientId = form.lenient("client_id").orElseThrow(() -> invalidLink("error.client_missing"));
        String reference = requestUri.substring(URN_PREFIX.length());
        String parameters = store.take(Hashes.tokenHash(reference), new ClientId(clientId), clock.instant())
                .orElseThrow(() -> invalidLink("error.request_uri_invalid"));
        return parser.parse(Form.urlEncoded(parameters)).asPushed();
    }

    /** Whether the form carries a live seal over exactly the parameters it holds. */
    private boolean sealed(Form form, AuthorizationRequest request) {
        Matcher m = SEAL.matcher(form.lenient(SEAL_FIELD).orElse(""));
        if (!m.matches()) return false;
        long until = Long.parseLong(m.group(1));
        if (Instant.ofEpochMilli(until).isBefore(clock.instant())) return false;
        return MessageDigest.isEqual(mac(until, request.toParameters()).getBytes(StandardCharsets.US_ASCII),
                m.group(2).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(long until, Map<String, String> params) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((until + "\n" + QueryStrings.of(params)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static PageException invalidLink(String messageKey) {
        return new PageException(400, "error.invalid_link.title", messageKey);
    }
}
