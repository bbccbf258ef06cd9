package dev.castgate.domain;

import java.util.List;
import java.util.Optional;

/**
 * How a client takes part in logout. {@code postLogoutRedirectUris}: where the browser may be sent
 * back after a logout the client asked for, matched exactly (RP-Initiated Logout 1.0 §3.1).
 * {@code backchannelLogoutUri}: where a logout token is posted when a session the client had a grant
 * in ends, and {@code backchannelLogoutSessionRequired}: whether the client needs its {@code sid}
 * (Back-Channel Logout 1.0 §2.2).
 */
public record ClientLogout(List<String> postLogoutRedirectUris, Optional<String> backchannelLogoutUri,
                           boolean backchannelLogoutSessionRequired) {
    public static final ClientLogout NONE = new ClientLogout(List.of(), Optional.empty(), false);

    /** The longest back-channel logout URI kept. */
    public static final int MAX_URI = 2000;

    public ClientLogout {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
    }

    /** Why {@code raw} cannot be a back-channel logout URI (§2.2: absolute, no fragment), if it cannot ({@link OutboundUri}). */
    public static Optional<String> backchannelUriProblem(String raw) {
        return OutboundUri.problem(raw, "backchannel_logout_uri", MAX_URI);
    }
}
