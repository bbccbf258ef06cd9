package dev.castgate.interaction;

import dev.castgate.domain.Scope;
import java.util.ArrayList;
import java.util.List;

/** Plain-words descriptions of scopes for the consent and account pages, in the page's language. */
public final class ScopeDescriptions {
    /**
     * The basic access every token has, then each requested scope in a fixed order. A client
     * registered for the original service's scope-free API writes can change channels and videos
     * without {@code broadcaster}, so the person is told so as if it were a scope of its own.
     */
    public List<Views.ScopeLine> describe(Scope scope, boolean legacyApiWrites, Text t) {
        List<Views.ScopeLine> lines = new ArrayList<>();
        lines.add(new Views.ScopeLine("basic", t.get("scope.basic")));
        if (legacyApiWrites && !scope.contains(Scope.BROADCASTER)) {
            lines.add(new Views.ScopeLine("legacy_api_writes", t.get("scope.legacy_api_writes")));
        }
        for (String known : Scope.KNOWN) {
            if (scope.contains(known)) lines.add(new Views.ScopeLine(known, t.get("scope." + known)));
        }
        return lines;
    }
}
