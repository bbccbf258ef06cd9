package dev.castgate.account;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.ConnectedApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The account page's rows: one per app, and per device where an app runs on several, however
 * many times the person has authorized it (each authorization is a grant of its own). A row
 * shows every scope its grants hold, the first authorization and the last use; revoking it ends
 * all of them, since the consent it forgets is the app's.
 */
final class ConnectedApps {
    private ConnectedApps() {}

    /** The rows, in the order of the most recently used grant of each. */
    static List<ConnectedApp> rows(List<ConnectedApp> liveGrants) {
        Map<Key, ConnectedApp> rows = new LinkedHashMap<>();
        for (ConnectedApp grant : liveGrants) rows.merge(Key.of(grant), grant, ConnectedApps::merge);
        return List.copyOf(rows.values());
    }

    /** The live grants one row stands for: the given grant's app and device. */
    static List<ConnectedApp> sameRow(List<ConnectedApp> liveGrants, ConnectedApp grant) {
        Key key = Key.of(grant);
        List<ConnectedApp> same = new ArrayList<>();
        for (ConnectedApp live : liveGrants) if (Key.of(live).equals(key)) same.add(live);
        return same;
    }

    /** The first grant of a row is its most recently used, and names the row in the revoke form. */
    private static ConnectedApp merge(ConnectedApp row, ConnectedApp grant) {
        return new ConnectedApp(row.grantId(), row.clientId(), row.clientName(), row.deviceName(), row.scope().union(grant.scope()),
                row.createdAt().isBefore(grant.createdAt()) ? row.createdAt() : grant.createdAt(),
                row.lastUsedAt().isAfter(grant.lastUsedAt()) ? row.lastUsedAt() : grant.lastUsedAt(), row.legacyApiWrites());
    }

    private record Key(ClientId clientId, Optional<String> deviceName) {
        static Key of(ConnectedApp grant) { return new Key(Objects.requireNonNull(grant.clientId()), grant.deviceName()); }
    }
}
