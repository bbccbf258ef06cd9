package dev.castgate.admin;

import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.User;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's grants as an operator sees them, one per authorization (the account page groups
 * them by app), and the revocation of one: it ends every code, access token and refresh token
 * that carries its id. Audited GRANT_REVOKED in the same transaction.
 */
public record GrantAdministration(Transactions transactions, Stores stores, AuditTrail audit, Operator operator) {
    public GrantAdministration by(Operator operator) { return new GrantAdministration(transactions, stores, audit, operator); }

    /** The account's live grants, most recently used first. */
    public List<ConnectedApp> ofUser(String login) {
        User user = stores.users().findByLogin(login).orElseThrow(() -> new AdminException.NotFound("no user '" + login + "'"));
        return stores.grants().listLive(user.id(), audit.clock().instant());
    }

    /** What revoking did; {@code changed} is false when the grant had ended already. */
    public record Revoked(Grant grant, boolean changed) {}

    public Revoked revoke(GrantId grantId) {
        Grant grant = stores.grants().find(grantId).orElseThrow(() -> new AdminException.NotFound("no grant " + grantId.value()));
        Instant now = audit.clock().instant();
        return transactions.inTransaction(tx -> {
            if (!tx.grants().revoke(grantId, now)) return new Revoked(grant, false);
            tx.audit().record(operator.stamp(audit.success(AuditEvent.Type.GRANT_REVOKED).user(grant.userId()).client(grant.clientId())
                    .detail("grant " + grantId.value() + " revoked by an operator")));
            return new Revoked(grant, true);
        });
    }

    /** One grant as the admin API shows it. */
    public static Map<String, Object> describe(ConnectedApp grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_id", grant.grantId().value());
        body.put("client_id", grant.clientId().value());
        body.put("client_name", grant.clientName());
        grant.deviceName().ifPresent(d -> body.put("device_name", d));
        body.put("scope", grant.scope().wireValue());
        body.put("created_at", grant.createdAt().toString());
        body.put("last_used_at", grant.lastUsedAt().toString());
        return body;
    }
}
