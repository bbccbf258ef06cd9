package dev.castgate.token;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Audience;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.Grant;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.dpop.DpopProof;
import dev.castgate.dpop.DpopProofs;
import java.time.Instant;
import java.util.Optional;

/**
 * What a grant handler decided to issue, after validating the request and before anything is
 * minted or stored: the client, the grant (new, or the existing one the tokens continue), the
 * access token's scope and format, who signed in and when, which refresh token goes with it,
 * what the request uses up, and where the answer goes. {@link TokenIssuer#issue} turns it into
 * tokens; the handlers never mint. This is the split between handling a token request and
 * populating its response, and the one place where token binding and resource indicators plug in.
 *
 * @param scope  the access token's: the grant's, or a narrower one on refresh; a refresh token always carries the grant's
 * @param signIn the person and the sign-in the tokens stand for; empty when no person signed in (client credentials)
 * @param audience the resources the access token is for (RFC 8707): the grant's, or some of them a token request names
 * @param boundTo  the thumbprint of the key the access token is bound to (RFC 9449 §6), empty for a bearer token
 */
public record Issuance(Client client, Grant grant, boolean newGrant, Scope scope, AccessTokenFormat format,
                       Optional<SignIn> signIn, RefreshPlan refresh, Consumption consumes, Delivery delivery, Audience audience,
                       Optional<String> boundTo) {

    /** The sign-in behind the tokens: the ID token's subject, {@code auth_time} and {@code nonce}. */
    public record SignIn(User user, Instant authTime, Optional<String> nonce) {}

    /** Which refresh token goes with the access token. */
    public sealed interface RefreshPlan {
        /** None: client credentials (RFC 6749 §4.4.3). */
        record None() implements RefreshPlan {}
        /** A new, random refresh token, the first of a grant, when the client may use the refresh grant. */
        record New() implements RefreshPlan {}
        /**
         * Rotation: the successor of the presented token ({@link TokenIssuer#successorOf}). Stored
         * when the presented one is used up now; a retry within the grace window gets the same
         * successor again, which the first request stored.
         */
        record Rotate(String presented) implements RefreshPlan {}
    }

    /** Where the tokens are delivered. */
    public enum Delivery {
        /** The token endpoint's JSON response (RFC 6749 §5.1): refresh and ID tokens as the plan and scope say. */
        TOKEN_RESPONSE,
        /** The legacy implicit flow's redirect (RFC 6749 §4.2.2): an access token only. */
        IMPLICIT_REDIRECT
    }

    /** A new grant's first tokens, with nothing to use up: client credentials, password, implicit. */
    public static Issuance newGrant(Client client, Grant grant, AccessTokenFormat format, Optional<SignIn> signIn, RefreshPlan refresh) {
        return new Issuance(client, grant, true, grant.scope(), format, signIn, refresh, Consumption.NOTHING, Delivery.TOKEN_RESPONSE,
                grant.resources(), Optional.empty());
    }

    /** More tokens of an existing grant, issued only if {@code consumes} lets them: code, refresh and device grants. */
    public static Issuance existingGrant(Client client, Grant grant, Scope scope, AccessTokenFormat format, Optional<SignIn> signIn,
                                         RefreshPlan refresh, Consumption consumes) {
        return new Issuance(client, grant, false, scope, format, signIn, refresh, consumes, Delivery.TOKEN_RESPONSE, grant.resources(),
                Optional.empty());
    }

    /** The same issuance delivered in the implicit flow's redirect. */
    public Issuance inImplicitRedirect() {
        return new Issuance(client, grant, newGrant, scope, format, signIn, new RefreshPlan.None(), consumes, Delivery.IMPLICIT_REDIRECT,
                audience, boundTo);
    }

    /** The same issuance with the access token for {@code resources} only, with {@code narrowed} scope; a new grant is for them too. */
    public Issuance forResources(Audience resources, Scope narrowed) {
        Grant forGrant = newGrant ? grant.forResources(resources, narrowed) : grant;
        return new Issuance(client, forGrant, newGrant, narrowed, format, signIn, refresh, consumes, delivery, resources, boundTo);
    }

    /**
     * The same issuance with the access token bound to the key of {@code proof} (RFC 9449 §5), and
     * the proof used up with what the request uses up: its jti is recorded in the transaction that
     * stores the tokens, first, so a replayed proof leaves the code or refresh token it came with unused.
     */
    public Issuance boundTo(DpopProof proof) {
        Consumption first = (tx, now) -> tx.tokens().recordDpopProof(proof.jtiHash(), proof.replayableUntil())
                ? consumes.consume(tx, now) : new Consumption.Consumed.Refused(DpopProofs.replayed());
        return new Issuance(client, grant, newGrant, scope, format, signIn, refresh, first, delivery, audience, Optional.of(proof.jkt()));
    }

    /**
     * RFC 9449 §5: the key a new refresh token is bound to. A public client's is bound to the key
     * its access token is, the one the request proved (a bound token is refreshed only with a proof
     * of its own key, so a rotation keeps the binding); a confidential client's to nothing, since
     * the client's own authentication already keeps a stolen one from being used.
     */
    Optional<String> refreshBoundTo() { return client.authMethod() == ClientAuthMethod.NONE ? boundTo : Optional.empty(); }

    /** RFC 9449 §5: a bound access token is of type DPoP. */
    String tokenType() { return boundTo.isPresent() ? TokenResponse.DPOP_TOKEN_TYPE : TokenResponse.TOKEN_TYPE; }

    /** OIDC Core §3.1.3.3: an ID token goes with tokens a person's sign-in got with {@code openid}, at the token endpoint. */
    boolean wantsIdToken() {
        return delivery == Delivery.TOKEN_RESPONSE && signIn.isPresent() && scope.contains(Scope.OPENID);
    }

    /** A refresh token goes with the tokens when the plan asks for one and the client may use the refresh grant. */
    boolean wantsRefreshToken() {
        return switch (refresh) {
            case RefreshPlan.None none -> false;
            case RefreshPlan.New fresh -> delivery == Delivery.TOKEN_RESPONSE && client.allows(dev.castgate.domain.GrantType.REFRESH_TOKEN);
            case RefreshPlan.Rotate rotate -> true;
        };
    }
}
