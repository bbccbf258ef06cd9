package dev.castgate.interaction;

import dev.castgate.domain.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** Plain-words descriptions of scopes for the consent page, from {@code i18n/messages}. */
public final class ScopeDescriptions {
    private final ResourceBundle bundle = ResourceBundle.getBundle("i18n.messages");

    /** The basic access every token has, then each requested scope in a fixed order. */
    public List<Views.ScopeLine> describe(Scope scope) {
        List<Views.ScopeLine> lines = new ArrayList<>();
        lines.add(new Views.ScopeLine("basic", bundle.getString("scope.basic")));
        for (String known : Scope.KNOWN) {
            if (scope.contains(known)) lines.add(new Views.ScopeLine(known, bundle.getString("scope." + known)));
        }
        return lines;
    }
}
