package dev.castgate.interaction;

import dev.castgate.http.ResponseHeaders;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders the precompiled templates in the request's language; every page gets the page
 * security headers. Each template takes the texts ({@code t}) and its view.
 */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** The texts in the language this request asks for. */
    public Text text(Context ctx) { return Languages.of(ctx); }

    /** A page, with the page security headers of a page that posts only to this server. */
    public void show(Context ctx, int status, Text t, Views.Page view) { show(ctx, status, t, view, List.of()); }

    /** A page whose forms may end in a redirect to {@code formTargets} (the client's redirect URI's origin). */
    public void show(Context ctx, int status, Text t, Views.Page view, Collection<String> formTargets) {
        StringOutput out = new StringOutput();
        engine.render(template(view), Map.of("t", t, "view", view), out);
        ResponseHeaders.page(ctx, formTargets, runsScript(view));
        ctx.status(status).contentType("text/html;charset=UTF-8").result(out.toString());
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
        };
    }

    /** An error page from message keys, in the request's language. */
    public void error(Context ctx, int status, String titleKey, String messageKey) {
        Text t = text(ctx);
        show(ctx, status, t, new Views.Error(t.get(titleKey), t.get(messageKey)));
    }
}
