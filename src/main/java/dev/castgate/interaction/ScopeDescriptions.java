package dev.castgate.interaction;

import dev.castgate.domain.Scope;
import java.util.ArrayList;
import java.util.List;

/** Plain-words descriptions of scopes for the consent and account pages, in the page's language. */
public final class ScopeDescriptions {
    /** The basic access every token has, then each requested scope in a fixed order. */
    public List<Views.ScopeLine> describe(Scope scope, Text t) {
        List<Views.ScopeLine> lines = new ArrayList<>();
        lines.add(new Views.ScopeLine("basic", t.get("scope.basic")));
        for (String known : Scope.KNOWN) {
            if (scope.contains(known)) lines.add(new Views.ScopeLine(known, t.get("scope." + known)));
        }
        return lines;
    }
}
