package dev.castgate.resource;

import dev.castgate.domain.Audience;
import dev.castgate.domain.Resource;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code resource} parameter (RFC 8707 §2) at the authorization and token endpoints: each value
 * an absolute URI without a fragment that names a known resource ({@link ResourceRegistry}), else
 * invalid_target. A resource registered with scopes limits the scope of a token for it.
 */
public final class ResourceIndicators {
    /** As many resources as one request may name; each URI fits the registry's column. */
    public static final int MAX_RESOURCES = 10;
    public static final int MAX_URI_LENGTH = 400;
    /** RFC 6749 §5.2: error_description holds only these characters; a value is echoed only if it fits. */
    private static final Pattern ECHOABLE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,400}");

    private final ResourceRegistry registry;

    public ResourceIndicators(ResourceRegistry registry) { this.registry = registry; }

    /** The resources {@code named}, in order, or the default audience for none. */
    public Audience parse(List<String> named) {
        if (named.isEmpty()) return Audience.DEFAULT;
        if (named.size() > MAX_RESOURCES) throw invalidTarget("at most " + MAX_RESOURCES + " resources may be named");
        for (String uri : named) requireKnown(uri);
        return new Audience(named);
    }

    /**
     * The part of {@code scope} a token for {@code audience} may carry: where each of its resources
     * was registered with scopes, those scopes (of any of them) and {@code openid}, which is for the
     * ID token and userinfo rather than a resource; all of it otherwise.
     */
    public Scope scopeFor(Audience audience, Scope scope) {
        if (audience.isDefault()) return scope;
        TreeSet<String> allowed = new TreeSet<>(List.of(Scope.OPENID));
        for (String uri : audience.resources()) {
            Optional<Scope> limit = registry.find(uri).flatMap(Resource::scopes);
            if (limit.isEmpty()) return scope;
            allowed.addAll(limit.get().values());
        }
        TreeSet<String> kept = new TreeSet<>(scope.values());
        kept.retainAll(allowed);
        return new Scope(kept);
    }

    /**
     * What a token request's resources may be chosen from: the grant's, or, for a grant that named
     * none, the Streaming API, where its tokens are good anyway. Each requested one must be among
     * them (RFC 8707 §2.2).
     */
    public void requireGranted(Audience requested, Audience granted) {
        for (String uri : requested.resources()) {
            boolean held = granted.isDefault() ? uri.equals(registry.streamingApi()) : granted.contains(uri);
            if (!held) throw invalidTarget("the resource " + uri + " was not among those the grant is for");
        }
    }

    /** RFC 8707 §2: an absolute URI (RFC 3986 §4.3) without a fragment, known here. */
    private void requireKnown(String uri) {
        String shown = ECHOABLE.matcher(uri).matches() ? " " + uri : "";
        if (uri.length() > MAX_URI_LENGTH) throw invalidTarget("a resource must be at most " + MAX_URI_LENGTH + " characters");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw invalidTarget("the resource" + shown + " is not a URI");
        }
        if (!parsed.isAbsolute()) throw invalidTarget("the resource" + shown + " is not an absolute URI");
        if (parsed.getRawFragment() != null) throw invalidTarget("the resource" + shown + " has a fragment, which RFC 8707 forbids");
        if (registry.find(uri).isEmpty()) throw invalidTarget("the resource" + shown + " is unknown");
    }

    /** Checks a URI as a resource's identifier for the registry; the problem with it, or empty. */
    public static Optional<String> identifierProblem(String uri) {
        if (uri.length() > MAX_URI_LENGTH) return Optional.of("a resource URI must be at most " + MAX_URI_LENGTH + " characters");
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute()) return Optional.of("a resource URI must be absolute, with a scheme such as https:");
            if (parsed.getRawFragment() != null) return Optional.of("a resource URI must not have a fragment (RFC 8707 §2)");
            if (!ECHOABLE.matcher(uri).matches()) return Optional.of("a resource URI must be printable ASCII without quotes or backslashes");
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("not a URI: " + e.getReason());
        }
    }

    private static OAuthException invalidTarget(String description) {
        return new OAuthException(OAuthError.INVALID_TARGET, description);
    }
}
