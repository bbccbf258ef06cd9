package dev.castgate.interaction;

import java.util.List;
import java.util.Map;

/** What each page template shows; nullable fields are simply not shown. */
public final class Views {
    private Views() {}

    /** The sign-in form; it posts the authorization request back with the credentials. */
    public record Login(String action, Map<String, String> hidden, String csrfToken, String clientName,
                        String loginHint, String error) {}

    /** The consent form: what the client asks for, in plain words, with Allow and Deny. */
    public record Consent(String action, Map<String, String> hidden, String csrfToken, String clientName,
                          String userName, String deviceName, List<ScopeLine> scopes) {}

    public record ScopeLine(String name, String description) {}

    public record Error(String title, String message) {}
}
