package dev.castgate.store.jdbc;

import dev.castgate.store.HousekeepingStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * One statement per rule, each an indexed range or key delete. Codes and refresh tokens are kept
 * until they expire even once used: replay and reuse detection need them until then.
 */
record JdbcHousekeepingStore(HandleSource db) implements HousekeepingStore {
    @Override
    public Deleted deleteExpired(Instant now, Instant failuresBefore, Instant auditBefore) {
        return db.with(h -> {
            // Tokens and codes first, so the grants they leave behind are seen as empty below.
            int revokedGrants = delete(h, "DELETE FROM grants WHERE revoked_at <= :t", now);
            int codes = delete(h, "DELETE FROM authorization_codes WHERE expires_at <= :t", now);
            // A device code is of no use once expired: pending ones can no longer be approved, and
            // a second poll for an issued one is refused as unknown, as invalid_grant either way.
            int deviceCodes = delete(h, "DELETE FROM device_codes WHERE expires_at <= :t", now);
            int access = delete(h, "DELETE FROM access_tokens WHERE expires_at <= :t OR revoked_at IS NOT NULL", now);
            int refresh = delete(h, "DELETE FROM refresh_tokens WHERE expires_at <= :t OR revoked_at IS NOT NULL", now);
            int emptyGrants = delete(h, "DELETE FROM grants WHERE created_at <= :t"
                    + " AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM authorization_codes c WHERE c.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM device_codes d WHERE d.grant_id = grants.id)", now);
            int sessions = delete(h, "DELETE FROM sessions WHERE expires_at <= :t", now);
            int failures = delete(h, "DELETE FROM login_failures WHERE failed_at <= :t", failuresBefore);
            int audit = delete(h, "DELETE FROM audit_events WHERE occurred_at <= :t", auditBefore);
            int counters = delete(h, "DELETE FROM api_rate_limits WHERE window_end <= :t", now);
            // Sent, dropped and given-up mail first, then links past their time, which take any
            // mail still waiting to carry them along (it could only be dropped).
            int mails = delete(h, "DELETE FROM mail_outbox WHERE done_at <= :t", now);
            int links = delete(h, "DELETE FROM email_links WHERE expires_at <= :t", now);
            // An expired challenge is refused for its expiry, so its record of use is no longer needed.
            int challenges = delete(h, "DELETE FROM passkey_challenges_used WHERE expires_at <= :t", now);
            return new Deleted(revokedGrants + emptyGrants, codes, access, refresh, sessions, failures, audit, deviceCodes, counters,
                    links, mails, challenges);
        });
    }

    private static int delete(Handle h, String sql, Instant t) {
        return h.createUpdate(sql).bind("t", t).execute();
    }
}
