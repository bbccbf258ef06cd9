package dev.castgate.token;

import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Authentication;
import dev.castgate.domain.AuthenticationLevel;
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.TextRule;
import dev.castgate.login.LoginAttempts;
import dev.castgate.login.Passkeys;
import dev.castgate.login.SecondFactors;
import dev.castgate.protocol.DeviceNames;
import dev.castgate.scope.ScopePolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The resource owner password credentials grant (RFC 6749 §4.3), kept for the original service's
 * clients (its official PHP sample uses it) and offered only to confidential clients registered
 * for it. The credentials go through {@link LoginAttempts}, the sign-in page's own check, so a
 * guess here counts against the same per-account and per-address limits and is audited alike.
 * No consent page is shown: a client trusted with the password is trusted with the scopes it is
 * registered for. An account with a second factor is refused (invalid_grant, after its right
 * password): there is no step in which to ask for the code.
 */
public record PasswordGrantHandler(LoginAttempts logins, SecondFactors secondFactors, Passkeys passkeys, RandomTokens random, Clock clock) implements GrantHandler {
    @Override
    public GrantType grantType() { return GrantType.PASSWORD; }

    @Override
    public Issuance validate(TokenRequest request) {
        Form form = request.form();
        Client client = request.client().client();
        if (!client.type().confidential()) {
            throw OAuthException.unauthorizedClient("a public client cannot use the password grant");
        }
        String username = form.require("username");
        // A password is only ever hashed, so it may hold any character its owner chose, as on the sign-in page.
        String password = form.require("password", TextRule.secret(PasswordPolicy.MAX_LENGTH));
        if (!LoginAttempts.fits(username, password)) {
            throw OAuthException.invalidRequest("username or password is too long");
        }
        // Everything the client chose is checked before the password, so a bad request costs no guess.
        Scope scope = ScopePolicy.grantable(ScopePolicy.parse(form.optional("scope")), client);
        Optional<String> deviceName = DeviceNames.parse(form.optional("device_name"));

        User user = switch (logins.attempt(username, password, request.remoteAddress())) {
            case LoginAttempts.Result.Success success -> success.user();
            case LoginAttempts.Result.WrongCredentials wrong ->
                    throw OAuthException.invalidGrant("the username or password is wrong");
            case LoginAttempts.Result.Throttled throttled -> throw OAuthException.invalidGrant(
                    "too many failed sign-ins for this account or from this address; try again in "
                            + throttled.retryAfterMinutes() + " minutes");
        };
        // A second factor needs a page to ask for it, which this grant has not: an account that has
        // one signs in through the authorization endpoint. Said only after the right password, so
        // the answer tells a guesser nothing.
        if (secondFactors.enabled(user.id()) || passkeys.any(user.id())) {
            throw OAuthException.invalidGrant("the account signs in with a second factor, which the password grant cannot ask for; "
                    + "use the authorization code flow");
        }
        Instant now = clock.instant();
        Grant grant = new Grant(new GrantId(random.sortableHex40(now)), Optional.of(user.id()), client.id(), scope, deviceName, now, now,
                Optional.empty(), Optional.of(Authentication.PASSWORD), Optional.of(AuthenticationLevel.PASSWORD));
        return Issuance.newGrant(client, grant, request.format(), Optional.of(new Issuance.SignIn(user, now, Optional.empty())),
                new Issuance.RefreshPlan.New());
    }
}
