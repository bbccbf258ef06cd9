package dev.castgate.interaction;

import dev.castgate.http.ResponseHeaders;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.List;

/** Renders the precompiled templates; every page gets the page security headers. */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void login(Context ctx, int status, Views.Login view, Collection<String> formTargets) {
        render(ctx, status, "login.jte", view, formTargets);
    }

    public void consent(Context ctx, Views.Consent view, Collection<String> formTargets) {
        render(ctx, 200, "consent.jte", view, formTargets);
    }

    public void error(Context ctx, int status, String title, String message) {
        render(ctx, status, "error.jte", new Views.Error(title, message), List.of());
    }

    private void render(Context ctx, int status, String template, Object view, Collection<String> formTargets) {
        StringOutput out = new StringOutput();
        engine.render(template, view, out);
        ResponseHeaders.page(ctx, formTargets);
        ctx.status(status).contentType("text/html;charset=UTF-8").result(out.toString());
    }
}
