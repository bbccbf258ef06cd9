package dev.castgate.domain;

import java.util.List;

/**
 * The resources a grant or an access token is for (RFC 8707 §2): the absolute URIs the client
 * named with {@code resource}, in the order it named them, without repeats. Empty is the default
 * audience, as before resource indicators: Castgate's own resources, named by the issuer in a JWT
 * access token's {@code aud}. Stored as the URIs separated by spaces (a URI holds none), NULL for
 * the default.
 */
public record Audience(List<String> resources) {
    public static final Audience DEFAULT = new Audience(List.of());

    public Audience {
        resources = List.copyOf(resources.stream().distinct().toList());
    }

    public boolean isDefault() { return resources.isEmpty(); }

    public boolean contains(String resource) { return resources.contains(resource); }

    /** Whether a token of this audience may be used at {@code resource}: a default one anywhere Castgate serves. */
    public boolean admits(String resource) { return isDefault() || contains(resource); }

    /** The stored form, or null for the default. */
    public String storedForm() { return isDefault() ? null : String.join(" ", resources); }

    public static Audience fromStored(String stored) {
        return stored == null || stored.isBlank() ? DEFAULT : new Audience(List.of(stored.split(" ")));
    }
}
