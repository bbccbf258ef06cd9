package dev.castgate.interaction;

import dev.castgate.crypto.Hashes;
import dev.castgate.http.ResponseHeaders;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders the precompiled templates in the request's language; every page gets the page
 * security headers. Each template takes the texts ({@code t}) and its view.
 */
public final class Pages {
    /**
     * Submits the page's one form. Called through the prototype, so no field of the form, whatever
     * its name, can stand in for the form's own submit method.
     */
    static final String AUTO_SUBMIT_SCRIPT = "HTMLFormElement.prototype.submit.call(document.forms[0]);";
    /** The script's CSP hash source (CSP Level 3 §8.4): SHA-256 of its exact text, in base64. */
    static final String AUTO_SUBMIT_HASH = "'sha256-" + Base64.getEncoder().encodeToString(
            Hashes.sha256(AUTO_SUBMIT_SCRIPT.getBytes(StandardCharsets.UTF_8))) + "'";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** The texts in the language this request asks for. */
    public Text text(Context ctx) { return Languages.of(ctx); }

    /** A page, with the page security headers of a page that posts only to this server. */
    public void show(Context ctx, int status, Text t, Views.Page view) { show(ctx, status, t, view, List.of()); }

    /** A page whose forms may end in a redirect to {@code formTargets} (the client's redirect URI's origin). */
    public void show(Context ctx, int status, Text t, Views.Page view, Collection<String> formTargets) {
        String html = render(t, view);
        ResponseHeaders.page(ctx, formTargets, runsScript(view));
        ctx.status(status).contentType("text/html;charset=UTF-8").result(html);
    }

    /**
     * A page whose one form posts {@code fields} to {@code action} by itself (OAuth 2.0 Form Post
     * Response Mode §2). Its one inline script is allowed by its hash, so no other inline script
     * could run, and its form may go to {@code formTarget}, the client's origin, alone (which also
     * lets the client answer the post with a redirect within its own site).
     */
    public void autoSubmit(Context ctx, String action, Map<String, String> fields, String formTarget) {
        String html = render(text(ctx), new Views.FormPost(action, fields, AUTO_SUBMIT_SCRIPT));
        ResponseHeaders.autoSubmitPage(ctx, formTarget, AUTO_SUBMIT_HASH);
        ctx.status(200).contentType("text/html;charset=UTF-8").result(html);
    }

    private String render(Text t, Views.Page view) {
        StringOutput out = new StringOutput();
        engine.render(template(view), Map.of("t", t, "view", view), out);
        return out.toString();
    }

    /**
     * Whether the page offers a passkey, and so loads the passkey script: the sign-in form (a
     * passkey instead of the password), a second step the account has a passkey for, and the
     * passkey set-up. No other page runs any script.
     */
    static boolean runsScript(Views.Page view) {
        return switch (view) {
            case Views.Login login -> true;
            case Views.SecondFactor secondFactor -> secondFactor.passkeyOptions() != null;
            case Views.PasskeySetup setup -> true;
            default -> false;
        };
    }

    /** Each kind of page has its template; a new kind that has none does not compile. */
    private static String template(Views.Page view) {
        return switch (view) {
            case Views.Login login -> "login.jte";
            case Views.Consent consent -> "consent.jte";
            case Views.Signup signup -> "signup.jte";
            case Views.Account account -> "account.jte";
            case Views.Logout logout -> "logout.jte";
            case Views.Landing landing -> "landing.jte";
            case Views.DeviceEntry entry -> "device.jte";
            case Views.DeviceConfirm confirm -> "device_confirm.jte";
            case Views.Message message -> "message.jte";
            case Views.SecondFactor secondFactor -> "second_factor.jte";
            case Views.SecondFactorRequired required -> "second_factor_required.jte";
            case Views.SecondFactorSetup setup -> "second_factor_setup.jte";
            case Views.RecoveryCodes codes -> "recovery_codes.jte";
            case Views.Error error -> "error.jte";
            case PlaygroundView playground -> "playground.jte";
            case Views.ForgotPassword forgot -> "forgot_password.jte";
            case Views.ResetPassword reset -> "reset_password.jte";
            case Views.VerifyEmail verify -> "verify_email.jte";
            case Views.PasskeySetup setup -> "passkey_setup.jte";
            case Views.FormPost formPost -> "form_post.jte";
        };
    }

    /** An error page from message keys, in the request's language. */
    public void error(Context ctx, int status, String titleKey, String messageKey) {
        Text t = text(ctx);
        show(ctx, status, t, new Views.Error(t.get(titleKey), t.get(messageKey)));
    }
}
