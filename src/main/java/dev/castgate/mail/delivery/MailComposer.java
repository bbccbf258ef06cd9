package dev.castgate.mail.delivery;

import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.interaction.Languages;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Text;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes each kind of mail in its language, from the same page texts as the pages
 * ({@code mail.*} in {@code i18n/messages*.properties}): a plain-text body and the same in simple
 * HTML ({@code mail.jte}, escaped like every page, since a person's name is their own text).
 * Links point at the issuer and open their page in the mail's language.
 */
public final class MailComposer {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final String issuer;

    public MailComposer(String issuer) { this.issuer = issuer; }

    /** The mail to send; {@code token} is the token of its link, for the kinds that carry one. */
    public Message compose(OutboxMail mail, User user, Optional<String> token) {
        Text t = Languages.ofTag(mail.language());
        String greeting = t.format("mail.greeting", user.name().orElse(user.username()));
        String footer = t.format("mail.footer", issuer);
        MailView view = switch (mail.kind()) {
            case VERIFY_EMAIL -> new MailView(t.htmlLang(), t.get("mail.verify.subject"), greeting,
                    List.of(t.format("mail.verify.body", mail.recipient(), user.username())),
                    t.get("mail.verify.link"), withToken("/verify-email", token, t), List.of(t.get("mail.verify.after")), footer);
            case EMAIL_CHANGE_NOTICE -> new MailView(t.htmlLang(), t.get("mail.change_notice.subject"), greeting,
                    List.of(t.format("mail.change_notice.body", user.username(), mail.detail().orElse(""), mail.recipient()),
                            t.get("mail.change_notice.after")),
                    t.get("mail.change_notice.link"), page("/account", t), List.of(), footer);
            case EMAIL_CHANGED_NOTICE -> new MailView(t.htmlLang(), t.get("mail.changed_notice.subject"), greeting,
                    List.of(t.format("mail.changed_notice.body", user.username(), mail.detail().orElse(""))),
                    null, null, List.of(t.get("mail.changed_notice.after")), footer);
            case PASSWORD_RESET -> new MailView(t.htmlLang(), t.get("mail.reset.subject"), greeting,
                    List.of(t.format("mail.reset.body", user.username())),
                    t.get("mail.reset.link"), withToken("/reset-password", token, t), List.of(t.get("mail.reset.after")), footer);
            case PASSWORD_CHANGED -> new MailView(t.htmlLang(), t.get("mail.password_changed.subject"), greeting,
                    List.of(t.format("mail.password_changed.body", user.username(), t.dateTime(mail.createdAt())),
                            t.get("mail.password_changed.after")),
                    t.get("mail.password_changed.link"), page("/forgot-password", t), List.of(), footer);
        };
        StringOutput html = new StringOutput();
        engine.render("mail.jte", Map.of("view", view), html);
        return new Message(mail.recipient(), view.subject(), view.text(), html.toString());
    }

    private String withToken(String path, Optional<String> token, Text t) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("token", token.orElseThrow(() -> new IllegalStateException("a mail of this kind carries a link")));
        query.put("lang", t.tag());
        return issuer + Links.withQuery(path, query);
    }

    private String page(String path, Text t) {
        return issuer + Links.withQuery(path, Map.of("lang", t.tag()));
    }
}
