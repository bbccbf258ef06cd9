package dev.castgate.protocol;

import dev.castgate.audit.AuditTrail;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.UserId;
import dev.castgate.store.ConsentStore;
import dev.castgate.store.GuardedWrite;
import dev.castgate.store.Stores;
import java.time.Instant;

/**
 * What a person allowed each client, asked on the authorization page and on the device page
 * alike: remembered as the union of every scope allowed so far, so that the next request for
 * scopes already allowed skips the question; and every answer, yes or no, audited.
 */
public record Consents(AuditTrail audit) {
    /** Where the person answered; it names the answer in the audit trail. */
    public enum Page {
        AUTHORIZATION(""),
        DEVICE("device");

        private final String label;

        Page(String label) { this.label = label; }
    }

    /** Whether the person has allowed the client every scope of {@code scope} before. */
    public static boolean covers(ConsentStore consents, UserId userId, ClientId clientId, Scope scope) {
        return consents.find(userId, clientId).map(remembered -> remembered.containsAll(scope)).orElse(false);
    }

    /**
     * Records that the person allowed {@code scope}, inside the transaction that issues what was
     * allowed, so the answer and its result commit together; {@code CLIENT_GONE} when the client
     * no longer exists (then the caller rolls back).
     */
    public GuardedWrite allow(Stores tx, Page page, UserId userId, ClientId clientId, Scope scope, String address, Instant now) {
        tx.audit().record(audit.success(AuditEvent.Type.CONSENT).user(userId).client(clientId).address(address)
                .detail(detail(page, "", scope)));
        Scope allowed = tx.consents().find(userId, clientId).map(before -> before.union(scope)).orElse(scope);
        return tx.consents().remember(userId, clientId, allowed, now);
    }

    /** Records that the person refused; what they allowed before stays as it was. */
    public void deny(Stores stores, Page page, UserId userId, ClientId clientId, Scope scope, String address) {
        stores.audit().record(audit.failure(AuditEvent.Type.CONSENT).user(userId).client(clientId).address(address)
                .detail(detail(page, "denied", scope)));
    }

    /** "device denied: openid", "denied: openid", "device: openid" or "openid", as the audit trail has always said. */
    private static String detail(Page page, String answer, Scope scope) {
        String words = (page.label + " " + answer).strip();
        return words.isEmpty() ? scope.wireValue() : words + ": " + scope.wireValue();
    }
}
