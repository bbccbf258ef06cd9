package dev.castgate.store.jdbc;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Grant;
import dev.castgate.domain.RefreshToken;
import dev.castgate.store.IssuanceWriter.Rows;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The rows a group-commit batch has gathered and not yet written, one list per table, each written
 * as one JDBC batch. Kept apart from {@link GroupCommitWriter}, which is about the queue, the
 * thread, the transaction and when each request is answered: this class is about which rows an
 * issuance makes and which statements write them, so a new kind of row changes this class only.
 */
final class PendingRows {
    /** The unit a row came from, told when its row was not stored: its grant was revoked or its client removed meanwhile. */
    interface Owner {
        void unstored();
    }

    private final Handle handle;
    private final List<Owner> grantOwners = new ArrayList<>();
    private final List<Grant> grants = new ArrayList<>();
    private final List<Owner> accessOwners = new ArrayList<>();
    private final List<AccessToken> accessTokens = new ArrayList<>();
    private final List<Owner> refreshOwners = new ArrayList<>();
    private final List<RefreshToken> refreshTokens = new ArrayList<>();
    private final List<JdbcGrantStore.LastUse> usedGrants = new ArrayList<>();

    PendingRows(Handle handle) { this.handle = handle; }

    void add(Owner owner, Rows rows) {
        rows.newGrant().ifPresent(g -> { grantOwners.add(owner); grants.add(g); });
        rows.accessToken().ifPresent(t -> { accessOwners.add(owner); accessTokens.add(t); });
        rows.refreshToken().ifPresent(t -> { refreshOwners.add(owner); refreshTokens.add(t); });
        rows.usedGrantId().ifPresent(id -> usedGrants.add(new JdbcGrantStore.LastUse(id, rows.at())));
    }

    /** Grants first: the tokens' inserts check that their grant exists. */
    void flush() {
        Connection connection = handle.getConnection();
        if (!grants.isEmpty()) markUnstored(grantOwners, JdbcGrantStore.insertAll(connection, grants));
        if (!accessTokens.isEmpty()) markUnstored(accessOwners, JdbcTokenStore.insertAccessTokens(connection, accessTokens));
        if (!refreshTokens.isEmpty()) markUnstored(refreshOwners, JdbcTokenStore.insertRefreshTokens(connection, refreshTokens));
        if (!usedGrants.isEmpty()) JdbcGrantStore.markUsed(connection, usedGrants);
        clear();
    }

    void clear() {
        grantOwners.clear();
        grants.clear();
        accessOwners.clear();
        accessTokens.clear();
        refreshOwners.clear();
        refreshTokens.clear();
        usedGrants.clear();
    }

    private static void markUnstored(List<Owner> owners, int[] counts) {
        for (int i = 0; i < owners.size(); i++) if (counts[i] != 1) owners.get(i).unstored();
    }
}
