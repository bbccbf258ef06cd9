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

    public void login(Context ctx, int status, Text t, Views.Login view, Collection<String> formTargets) {
        render(ctx, status, "login.jte", t, view, formTargets);
    }

    public void consent(Context ctx, Text t, Views.Consent view, Collection<String> formTargets) {
        render(ctx, 200, "consent.jte", t, view, formTargets);
    }

    public void signup(Context ctx, int status, Text t, Views.Signup view) {
        render(ctx, status, "signup.jte", t, view, List.of());
    }

    public void account(Context ctx, int status, Text t, Views.Account view) {
        render(ctx, status, "account.jte", t, view, List.of());
    }

    public void logout(Context ctx, Text t, Views.Logout view) {
        render(ctx, 200, "logout.jte", t, view, List.of());
    }

    public void landing(Context ctx, int status, Text t, Views.Landing view) {
        render(ctx, status, "landing.jte", t, view, List.of());
    }

    public void deviceEntry(Context ctx, int status, Text t, Views.DeviceEntry view) {
        render(ctx, status, "device.jte", t, view, List.of());
    }

    public void deviceConfirm(Context ctx, Text t, Views.DeviceConfirm view) {
        render(ctx, 200, "device_confirm.jte", t, view, List.of());
    }

    public void playground(Context ctx, int status, Text t, PlaygroundView view) {
        render(ctx, status, "playground.jte", t, view, List.of());
    }

    public void message(Context ctx, int status, Text t, Views.Message view) {
        render(ctx, status, "message.jte", t, view, List.of());
    }

    /** An error page from message keys, in the request's language. */
    public void error(Context ctx, int status, String titleKey, String messageKey) {
        Text t = text(ctx);
        render(ctx, status, "error.jte", t, new Views.Error(t.get(titleKey), t.get(messageKey)), List.of());
    }

    private void render(Context ctx, int status, String template, Text t, Object view, Collection<String> formTargets) {
        StringOutput out = new StringOutput();
        engine.render(template, Map.of("t", t, "view", view), out);
        ResponseHeaders.page(ctx, formTargets);
        ctx.status(status).contentType("text/html;charset=UTF-8").result(out.toString());
    }
}
