package dev.castgate.interaction;

import java.util.List;
import java.util.Map;

/** What each page template shows, already in the page's language; nullable fields are simply not shown. */
public final class Views {
    private Views() {}

    /** A whole page; {@link Pages} picks its template by its kind. */
    public sealed interface Page permits Login, Consent, Error, Message, Signup, Account, Landing, DeviceEntry, DeviceConfirm,
            Logout, PlaygroundView, SecondFactor, SecondFactorRequired, SecondFactorSetup, RecoveryCodes, ForgotPassword, ResetPassword,
            VerifyEmail, PasskeySetup, FormPost {}

    /**
     * The sign-in form; it posts the authorization request back with the credentials, or, on its
     * own (no client), signs in to the account page. {@code signupUrl} is null when sign-up is off,
     * {@code forgotUrl} where no mail is sent (account recovery needs it). {@code passkeyOptions}
     * starts a sign-in with a passkey instead ({@link PasskeyOptions}), which the page's script
     * offers where the browser has passkeys.
     */
    public record Login(String action, Map<String, String> hidden, String csrfToken, String clientName,
                        String loginHint, String error, String signupUrl, String forgotUrl, String passkeyOptions) implements Page {}

    /**
     * The second step of a sign-in: a code from the authenticator app, or a recovery code (in a
     * field of its own, which takes letters), when the account has the app ({@code codes}); or one
     * of its passkeys ({@code passkeyOptions}, null when it has none). It posts where the sign-in
     * form posts, with the same hidden fields and {@code secondStep}, which says whose password was
     * right; {@code leaveUrl} ({@code leaveText}) is the way out for someone who is not that person.
     */
    public record SecondFactor(String action, Map<String, String> hidden, String csrfToken, String secondStep, String clientName,
                               String error, String leaveUrl, String leaveText, boolean codes, String passkeyOptions) implements Page {}

    /**
     * The authorization response as a form the browser posts to the client's redirect URI
     * ({@code action}) at once (OAuth 2.0 Form Post Response Mode): {@code script} submits it, and
     * without scripts a button does. {@code fields} are the response's parameters, in order.
     */
    public record FormPost(String action, Map<String, String> fields, String script) implements Page {}

    /** Creating a passkey, named {@code name}, with the browser: one button, which the script runs. */
    public record PasskeySetup(String csrfToken, String name, String passkeyOptions, String error) implements Page {}

    /** One of the account's passkeys, its dates formatted. */
    public record PasskeyLine(String id, String name, String created, String lastUsed) {}

    /**
     * A client requires a second factor (an essential {@code acr}) that the person has not set up:
     * what to do, and a button back to the client, which then learns that its requirement was not met.
     */
    public record SecondFactorRequired(String action, Map<String, String> hidden, String csrfToken, String clientName)
            implements Page {}

    /**
     * Setting up the second factor: the QR code of the otpauth URI (inline SVG, drawn on the
     * server), the secret to type instead, grouped in fours, and the field for the first code.
     */
    public record SecondFactorSetup(String csrfToken, String qrSvg, String secret, String error) implements Page {}

    /** Recovery codes, shown once, right after they were made. */
    public record RecoveryCodes(String title, String notice, List<String> codes) implements Page {}

    /** The consent form: what the client asks for, in plain words, with Allow and Deny. */
    public record Consent(String action, Map<String, String> hidden, String csrfToken, String clientName,
                          String userName, String deviceName, List<ScopeLine> scopes) implements Page {}

    public record ScopeLine(String name, String description) {}

    public record Error(String title, String message) implements Page {}

    /** A short page with a title, a sentence and an optional link onwards. */
    public record Message(String title, String message, String linkHref, String linkText) implements Page {}

    /** The sign-up form; {@code hidden} carries the authorization request it came from, if any. */
    public record Signup(Map<String, String> hidden, String csrfToken, String clientName, String username, String email,
                         String name, String error, String signInUrl) implements Page {}

    /**
     * The signed-in user's page: profile, password, two-step sign-in ({@code recoveryCodesLeft} is
     * null while it is off), passkeys, connected apps and devices, sign-out. {@code pendingEmail} is an email
     * change waiting for its confirmation (or null); without {@code mailAvailable} the email cannot
     * be changed or confirmed here.
     */
    public record Account(String csrfToken, String username, String name, String email, boolean emailVerified,
                          String pendingEmail, boolean mailAvailable, String notice, String error, Integer recoveryCodesLeft,
                          List<PasskeyLine> passkeys, List<App> apps) implements Page {}

    /** One connected app or device, with its scopes in plain words and its times formatted. */
    public record App(String grantId, String clientName, String deviceName, List<ScopeLine> scopes,
                      String firstAuthorized, String lastUsed) {}

    /**
     * The built-in landing page: the server's own title and message, then what the address
     * brought, name by name, with its free text ({@code freeText}) apart in a collapsed block.
     */
    public record Landing(String title, String message, List<Field> fields, List<Field> freeText) implements Page {}

    /** One parameter as received, shown verbatim (and escaped). */
    public record Field(String name, String value) {}

    /** The device page's code form (RFC 8628 §3.3): the code typed so far, and why it was refused. */
    public record DeviceEntry(String csrfToken, String userCode, String error) implements Page {}

    /** The device page's decision: which client, for which device, asks for what; Allow and Deny. */
    public record DeviceConfirm(String csrfToken, String userCode, String clientName, String userName, String deviceName,
                                List<ScopeLine> scopes) implements Page {}

    /**
     * The sign-out confirmation (GET /logout): {@code clientName} is the application that asked
     * (empty for none), {@code carried} its request's parameters, posted on with the answer.
     */
    public record Logout(String csrfToken, String clientName, java.util.Map<String, String> carried) implements Page {}

    /**
     * "Forgot password?": a username or email, to which the same answer comes whether or not an
     * account has it. {@code hidden} carries where the person was; {@code backUrl} leads back there.
     */
    public record ForgotPassword(Map<String, String> hidden, String csrfToken, String login, String error, String backUrl)
            implements Page {}

    /** The new password a recovery link lets the person set; {@code token} is the link's, posted back with the form. */
    public record ResetPassword(String token, String csrfToken, String username, String error) implements Page {}

    /** What a verification link opens: the address and account it confirms, and one button to confirm it. */
    public record VerifyEmail(String token, String csrfToken, String email, String username) implements Page {}
}
