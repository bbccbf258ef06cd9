package dev.castgate.authorize;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.error.PageException;
import dev.castgate.protocol.Consents;
import dev.castgate.store.GuardedWrite;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import dev.castgate.token.Issuance;
import dev.castgate.token.TokenIssuer;
import dev.castgate.token.TokenResponse;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an allowed authorization request becomes: a grant, and for the client either a code
 * (RFC 6749 §4.1.2) or, in the original service's implicit flow, an access token (§4.2.2). A
 * consent given just now is remembered with it, in the same transaction.
 */
public record AuthorizationGrants(Transactions transactions, Consents consents, TokenIssuer tokenIssuer,
                                  AuthorizationResponder responder, RandomTokens random, Duration codeTtl) {
    /**
     * Issues what the request asks for and redirects the browser back to the client with it, for
     * the sign-in of {@code session} (its time, methods and the acr they meet).
     * {@code allowedNow}: the person allowed it on the consent page just now, so the consent is
     * remembered too.
     */
    void complete(Context ctx, AuthorizationRequest request, User user, Session session, Instant now, boolean allowedNow) {
        Instant authTime = session.authTime();
        Grant grant = new Grant(new GrantId(random.sortableHex40(now)), Optional.of(user.id()), request.client().id(), request.scope(),
                request.deviceName(), authTime, now, Optional.empty(), Optional.of(session.amr()),
                Optional.of(request.acr().reported(session.amr().level())), request.requestedClaims(), request.resources(), session.sid());
        if (request.responseType() == AuthorizationRequest.ResponseType.TOKEN) {
            // The token is written by the issuance step's own writer, so the consent commits first.
            if (allowedNow) transactions.inTransaction(tx -> remember(tx, ctx, request, user, now));
            responder.token(ctx, request, implicitToken(request, user, grant, authTime));
        } else {
            String code = random.hex40();
            transactions.inTransaction(tx -> {
                if (allowedNow) remember(tx, ctx, request, user, now);
                GuardedWrite stored = tx.grants().insert(grant);
                if (stored == GuardedWrite.CLIENT_GONE) throw clientGone();
                if (stored == GuardedWrite.ACCOUNT_DISABLED) throw accountDisabled(request);
                tx.codes().insert(new AuthorizationCode(Hashes.tokenHash(code), grant.id(), request.client().id(), user.id(),
                        request.redirectUri(), request.redirectUriGiven(), request.scope(), request.nonce(),
                        request.codeChallenge(), authTime, now.plus(codeTtl), request.dpopJkt()), now);
                return null;
            });
            responder.code(ctx, request, code);
        }
    }

    private Void remember(Stores tx, Context ctx, AuthorizationRequest request, User user, Instant now) {
        if (consents.allow(tx, Consents.Page.AUTHORIZATION, user.id(), request.client().id(), request.consentScope(), ctx.ip(), now)
                == GuardedWrite.CLIENT_GONE) {
            throw clientGone();
        }
        return null;
    }

    /** Minted like any other access token, without a refresh token (§4.2.2). */
    private TokenResponse implicitToken(AuthorizationRequest request, User user, Grant grant, Instant authTime) {
        try {
            return tokenIssuer.issue(Issuance.newGrant(request.client(), grant, request.client().accessTokenFormat(),
                    Optional.of(new Issuance.SignIn(user, authTime, Optional.empty())), new Issuance.RefreshPlan.None())
                    .inImplicitRedirect());
        } catch (OAuthException e) {
            if (e.error() == OAuthError.INVALID_CLIENT) throw clientGone(); // removed while this node still had it cached
            if (e.error() == OAuthError.INVALID_GRANT) throw accountDisabled(request); // the only refusal of a new grant with a sign-in
            throw e;
        }
    }

    /**
     * The account was disabled between its sign-in and this grant (its sessions end with it, so
     * only a request already past the session check meets this): the client hears access_denied.
     */
    private static AuthorizationErrorResponse accountDisabled(AuthorizationRequest request) {
        return request.refused(OAuthError.ACCESS_DENIED, "the account is disabled");
    }

    /** The client was removed while this node still had it cached: answered as for an unknown client. */
    private static PageException clientGone() {
        return new PageException(400, "error.invalid_link.title", "error.client_unknown");
    }
}
