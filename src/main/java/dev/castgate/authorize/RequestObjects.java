package dev.castgate.authorize;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.clientauth.ClientAssertions;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.domain.OutboundUri;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.BoundedFetch;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.TextRule;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request objects (RFC 9101, OIDC Core §6): an authorization request sent as a JWT signed by its
 * client, by value ({@code request}) or, where the server allows it, by reference ({@code request_uri}
 * naming an https URL). Only signed objects are accepted, signed with the client's registered keys
 * (private_key_jwt: its {@code jwks} or {@code jwks_uri}) or, for a client_secret_jwt client, with an
 * HMAC of its secret; {@code alg} none and encryption are refused.
 *
 * <p>The object's parameters are the request (RFC 9101 §5). Parameters sent beside it that it does
 * not hold are kept, as OIDC Core §6.1 has it, so that a relying party that sends {@code scope},
 * {@code response_type} or {@code state} outside as well works; where both name a parameter, the
 * object's value counts. Where signed request objects are required (RFC 9101 §10.5), by the server
 * or by the client, the object's parameters count alone: nothing a browser could change is part of its requests.
 */
public final class RequestObjects {
    /** A pushed request's reference (RFC 9126 §2.2); any other request_uri names a request object. */
    static final String PAR_URN_PREFIX = "urn:ietf:params:oauth:request_uri:";
    /** How far the client's clock may be from the server's. */
    private static final Duration LEEWAY = Duration.ofSeconds(60);
    /** A request object by value: a JWT, small enough for a URL. */
    private static final TextRule OBJECT = TextRule.line(BoundedFetch.MAX_BYTES);
    /** RFC 9101 §10.4.1 and its media type (§8.1), then plain JWTs as clients serve them. */
    private static final String ACCEPT = "application/oauth-authz-req+jwt, application/jwt";

    private final String issuer;
    private final ClientAssertions signatures;
    private final boolean required;
    private final boolean byReference;
    private final BoundedFetch http = new BoundedFetch();
    private final Clock clock;

    /**
     * {@code required}: every authorization request must be in a signed request object
     * ({@code request_objects.required}); {@code byReference}: a request_uri naming a URL is fetched
     * ({@code request_objects.by_reference}), otherwise refused.
     */
    public RequestObjects(String issuer, ClientAssertions signatures, boolean required, boolean byReference, Clock clock) {
        this.issuer = issuer;
        this.signatures = signatures;
        this.required = required;
        this.byReference = byReference;
        this.clock = clock;
    }

    /** Whether only requests in signed request objects are accepted, as discovery says. */
    public boolean required() { return required; }

    /** Whether request objects are fetched by reference, as discovery says. */
    public boolean byReference() { return byReference; }

    /** RFC 9101 §10.5: whether {@code client}'s authorization requests must be in a signed request object, by the server's rule or its own. */
    boolean requiredOf(Client client) { return required || client.requestObjects().requireSigned(); }

    /** Whether {@code form} carries a request object, by value or by a reference other than a pushed request's. */
    static boolean present(Form form) {
        return form.has("request") || (form.has("request_uri") && !form.lenient("request_uri").orElse("").startsWith(PAR_URN_PREFIX));
    }

    /**
     * The request {@code form} carries in its request object, once the object proves to be
     * {@code client}'s: {@code client_id} is the one outside (the caller looked the client up by it).
     * Every refusal is an {@link OAuthException}: request_uri_not_supported for a reference the server
     * does not fetch, invalid_request_uri for one it could not, invalid_request_object for an object
     * that is not a valid one of this client's.
     */
    Form open(Form form, Client client) {
        Optional<String> byValue = form.optional("request", OBJECT);
        Optional<String> reference = form.optional("request_uri", TextRule.line(JwtClientAuth.MAX_JWKS_URI));
        // RFC 9101 §5: one or the other.
        if (form.has("request") && form.has("request_uri")) throw OAuthException.invalidRequest("request and request_uri must not both be sent");
        if (reference.isPresent() && !byReference) {
            throw new OAuthException(OAuthError.REQUEST_URI_NOT_SUPPORTED,
                    "request_uri is supported only for pushed authorization requests (" + PAR_URN_PREFIX + "...); send the request object by value");
        }
        JwtClientAuth keys = client.jwtAuth().orElseThrow(() -> invalid(
                "the client has no keys registered to verify it: request objects need private_key_jwt keys (jwks or jwks_uri) or client_secret_jwt"));
        String object = byValue.isPresent() ? byValue.get()
                : fetch(reference.orElseThrow(() -> invalid("the request parameter is empty")));
        Map<String, Object> claims = verify(object, client, keys);
        Object inner = claims.get("client_id");
        // RFC 9101 §5: the client_id inside must be the one outside, which named the client.
        if (inner != null && !client.id().value().equals(inner)) throw invalid("its client_id differs from the client_id parameter");
        if (claims.containsKey("request") || claims.containsKey("request_uri")) {
            throw invalid("it must not hold request or request_uri itself"); // RFC 9101 §4
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        claims.forEach((name, value) -> parameters.put(name, parameter(value)));
        boolean strict = requiredOf(client);
        return form.overriddenBy(parameters, name -> name.equals("client_id") || !(strict || name.equals("request") || name.equals("request_uri")));
    }

    /** RFC 9101 §6.2 and §10.2: the claims of an object signed by the client, for this server, in its lifetime. */
    private Map<String, Object> verify(String object, Client client, JwtClientAuth keys) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(object);
        } catch (ParseException | RuntimeException e) {
            throw invalid("it is not a JWT");
        }
        if (jwt instanceof PlainJWT) throw invalid("it is unsigned (alg none); it must be signed with the client's key");
        if (!(jwt instanceof SignedJWT signed)) throw invalid("encrypted request objects are not supported; sign it with the client's key");
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        List<JWSAlgorithm> allowed = ClientAssertions.algorithms(keys.method());
        if (!allowed.contains(alg)) {
            throw invalid("its alg " + alg.getName() + " is not one the client's " + keys.method().wireName() + " keys sign with ("
                    + String.join(", ", allowed.stream().map(JWSAlgorithm::getName).toList()) + ")");
        }
        Optional<String> registered = client.requestObjects().signingAlg();
        if (registered.isPresent() && !registered.get().equals(alg.getName())) {
            throw invalid("its alg " + alg.getName() + " is not the client's request_object_signing_alg " + registered.get());
        }
        if (!signatures.verifySignature(signed, client.id(), keys, RequestObjects::invalid)) {
            throw invalid("its signature does not verify with the client's " + (keys.method() == ClientAuthMethod.PRIVATE_KEY_JWT ? "keys" : "secret"));
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("its claims are not a JSON object");
        }
        // RFC 9101 §10.2: iss and aud tie the object to its client and to this server.
        if (!client.id().value().equals(claims.getIssuer())) throw invalid("its iss must be the client_id");
        if (!claims.getAudience().contains(issuer)) throw invalid("its aud must be the issuer identifier " + issuer);
        Instant now = clock.instant();
        instant(claims.getExpirationTime()).filter(exp -> !exp.plus(LEEWAY).isAfter(now)).ifPresent(exp -> { throw invalid("it has expired"); });
        instant(claims.getNotBeforeTime()).filter(nbf -> nbf.isAfter(now.plus(LEEWAY)))
                .ifPresent(nbf -> { throw invalid("it is not valid yet (nbf)"); });
        instant(claims.getIssueTime()).filter(iat -> iat.isAfter(now.plus(LEEWAY))).ifPresent(iat -> { throw invalid("its iat is in the future"); });
        return claims.getClaims();
    }

    /** The object at {@code reference}: https (http only on loopback), bounded as a jwks_uri's fetch is. */
    private String fetch(String reference) {
        // OIDC Core §6.2: a fragment may carry a hash of the contents; it is not part of the address fetched.
        int hash = reference.indexOf('#');
        String address = hash < 0 ? reference : reference.substring(0, hash);
        OutboundUri.problem(address, "request_uri", JwtClientAuth.MAX_JWKS_URI).ifPresent(problem -> {
            throw new OAuthException(OAuthError.INVALID_REQUEST_URI, problem);
        });
        return http.get(address, ACCEPT, why -> new OAuthException(OAuthError.INVALID_REQUEST_URI,
                "the request object could not be fetched from the request_uri: " + why)).strip();
    }

    /**
     * A claim as the parameter it stands for: strings as they are, numbers and booleans as written,
     * a list of strings (several {@code resource} indicators, RFC 8707) as one space-separated value,
     * as the authorization request's parser takes them, objects (claims) as JSON.
     */
    private static String parameter(Object value) {
        if (value instanceof String s) return s;
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance)) {
            return String.join(" ", list.stream().map(String.class::cast).toList());
        }
        if (value instanceof Number || value instanceof Boolean) return String.valueOf(value);
        if (value instanceof Date date) return Long.toString(date.toInstant().getEpochSecond());
        return Json.write(value);
    }

    private static Optional<Instant> instant(Date date) { return Optional.ofNullable(date).map(Date::toInstant); }

    private static OAuthException invalid(String why) {
        return new OAuthException(OAuthError.INVALID_REQUEST_OBJECT, "the request object was refused: " + why);
    }
}
