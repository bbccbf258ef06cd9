package dev.castgate.interaction;

import java.util.List;

/**
 * What the playground page shows: the demo account, the tokens it holds (each JWT's header and
 * claims decoded and pretty-printed; null for an opaque token), and the last call's status and
 * body. {@code result} and {@code error} are null when there is none.
 */
public record PlaygroundView(String csrfToken, String demoUsername, String clientId, boolean signedIn, List<Token> tokens,
                             Result result, String error) implements Views.Page {
    public record Token(String label, String id, String raw, String header, String claims) {}

    public record Result(String label, int status, String body) {}
}
