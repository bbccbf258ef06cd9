package dev.castgate.store.jdbc;

import dev.castgate.store.HousekeepingStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * One statement per rule, each an indexed range or key delete of at most {@code limit} rows (the
 * rows are picked by key in a subquery, which both databases run the same way), so one call
 * holds the write lock for a bounded time. Codes and refresh tokens are kept until they expire
 * even once used: replay and reuse detection need them until then.
 */
record JdbcHousekeepingStore(HandleSource db) implements HousekeepingStore {
    @Override
    public Deleted deleteExpired(Instant now, Instant failuresBefore, Instant auditBefore, int limit) {
        return db.with(h -> {
            // Tokens and codes first, so the grants they leave behind are seen as empty below.
            int revokedGrants = delete(h, "grants", "id", "revoked_at <= :t", now, limit);
            int codes = delete(h, "authorization_codes", "hash", "expires_at <= :t", now, limit);
            // A device code is of no use once expired: pending ones can no longer be approved, and
            // a second poll for an issued one is refused as unknown, as invalid_grant either way.
            int deviceCodes = delete(h, "device_codes", "hash", "expires_at <= :t", now, limit);
            int access = delete(h, "access_tokens", "hash", "expires_at <= :t", now, limit)
                    + delete(h, "access_tokens", "hash", "revoked_at IS NOT NULL", now, limit);
            int refresh = delete(h, "refresh_tokens", "hash", "expires_at <= :t", now, limit)
                    + delete(h, "refresh_tokens", "hash", "revoked_at IS NOT NULL", now, limit);
            int emptyGrants = delete(h, "grants", "id", "created_at <= :t"
                    + " AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM authorization_codes c WHERE c.grant_id = grants.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM device_codes d WHERE d.grant_id = grants.id)", now, limit);
            int sessions = delete(h, "sessions", "hash", "expires_at <= :t", now, limit);
            int failures = delete(h, "login_failures", "throttle_key, failed_at", "failed_at <= :t", failuresBefore, limit);
            int audit = delete(h, "audit_events", "id", "occurred_at <= :t", auditBefore, limit);
            int counters = delete(h, "api_rate_limits", "bucket, window_start", "window_end <= :t", now, limit);
            // Sent, dropped and given-up mail first, then links past their time, which take any
            // mail still waiting to carry them along (it could only be dropped).
            int mails = delete(h, "mail_outbox", "id", "done_at <= :t", now, limit);
            int links = delete(h, "email_links", "id", "expires_at <= :t", now, limit);
            // An expired challenge is refused for its expiry, so its record of use is no longer needed.
            int challenges = delete(h, "passkey_challenges_used", "hash", "expires_at <= :t", now, limit);
            // An expired initial access token registers nothing more; used-up ones stay listed until then.
            int registrationTokens = delete(h, "registration_tokens", "id", "expires_at <= :t", now, limit);
            // A pushed request is deleted when it is taken; one never taken is of no use once expired.
            int pushedRequests = delete(h, "pushed_authorization_requests", "hash", "expires_at <= :t", now, limit);
            // An expired client assertion is refused for its expiry, so its jti need not be remembered.
            int assertionIds = delete(h, "client_assertion_jtis", "client_id, jti_hash", "expires_at <= :t", now, limit);
            // A logout token sent or given up has nothing more to do.
            int logoutDeliveries = delete(h, "logout_deliveries", "id", "done_at <= :t", now, limit);
            // A proof whose iat is out of the window is refused for that, so its jti need not be remembered.
            int dpopProofs = delete(h, "dpop_proof_jtis", "jti_hash", "expires_at <= :t", now, limit);
            return new Deleted(revokedGrants + emptyGrants, codes, access, refresh, sessions, failures, audit, deviceCodes, counters,
                    links, mails, challenges, registrationTokens, pushedRequests, assertionIds, logoutDeliveries, dpopProofs);
        });
    }

    /** Deletes up to {@code limit} rows of {@code table} that meet {@code condition}, picked by {@code key} (one or more columns). */
    private static int delete(Handle h, String table, String key, String condition, Instant t, int limit) {
        String match = key.contains(",") ? "(" + key + ")" : key;
        String sql = "DELETE FROM " + table + " WHERE " + match + " IN (SELECT " + key + " FROM " + table
                + " WHERE " + condition + " LIMIT :limit)";
        return h.createUpdate(sql).bind("t", t).bind("limit", limit).execute();
    }
}
