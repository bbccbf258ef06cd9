package dev.castgate.playground;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.playground.PlaygroundClient.Call;
import java.util.Optional;

/**
 * One browser's playground state: the pending sign-in, the tokens it holds and the last result
 * shown. A browser may send several requests at once, so every change and every read of more
 * than one field happens under the visitor's lock.
 */
final class Visitor {
    /** The state and PKCE verifier of a sign-in that is under way. */
    record Pending(String state, String verifier) {}

    /** What the page shows, read at one moment. */
    record Snapshot(String accessToken, String refreshToken, String idToken, String resultLabel, int resultStatus,
                    String resultBody, String errorKey) {}

    private String state;
    private String verifier;
    private String accessToken;
    private String refreshToken;
    private String idToken;
    private String resultLabel;
    private int resultStatus;
    private String resultBody;
    private String errorKey;

    synchronized void beginSignIn(String state, String verifier) {
        this.state = state;
        this.verifier = verifier;
    }

    /** The pending sign-in, if any; taken, so it is used once whatever happens next. */
    synchronized Optional<Pending> takePending() {
        Optional<Pending> pending = state == null ? Optional.empty() : Optional.of(new Pending(state, verifier));
        state = null;
        verifier = null;
        return pending;
    }

    synchronized Optional<String> accessToken() { return Optional.ofNullable(accessToken); }

    synchronized Optional<String> refreshToken() { return Optional.ofNullable(refreshToken); }

    /** A token endpoint's answer: shown, and its tokens kept when it gave some. */
    synchronized void answered(String labelKey, Call call) {
        keepTokens(call);
        remember(labelKey, call);
    }

    /** Keeps the tokens of a successful token response; the ID token only comes with a sign-in, so a refresh keeps the old one. */
    private void keepTokens(Call call) {
        if (call.status() != 200) return;
        JsonNode body = PlaygroundJson.parse(call.body());
        if (body == null || PlaygroundJson.text(body, "access_token") == null) return;
        accessToken = PlaygroundJson.text(body, "access_token");
        refreshToken = PlaygroundJson.text(body, "refresh_token");
        String newIdToken = PlaygroundJson.text(body, "id_token");
        if (newIdToken != null) idToken = newIdToken;
    }

    /** The result to show, labelled by its message key. */
    synchronized void remember(String labelKey, Call call) {
        errorKey = null;
        resultLabel = labelKey;
        resultStatus = call.status();
        resultBody = call.body();
    }

    /** An error to show instead of a result. */
    synchronized void fail(String key) {
        errorKey = key;
        resultLabel = null;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(accessToken, refreshToken, idToken, resultLabel, resultStatus, resultBody, errorKey);
    }
}
