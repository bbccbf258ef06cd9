package dev.castgate.store;

import java.time.Instant;
import java.util.Map;

/** Deletes what can never be used again, so no table grows without bound. */
public interface HousekeepingStore {
    /** Rows deleted per table, for the log and the metrics. */
    record Deleted(int grants, int authorizationCodes, int accessTokens, int refreshTokens, int sessions,
                   int loginFailures, int auditEvents, int deviceCodes, int rateLimitCounters, int emailLinks, int mails,
                   int passkeyChallenges, int registrationTokens, int pushedRequests, int assertionIds, int logoutDeliveries,
                   int dpopProofs) {
        public int total() {
            return grants + authorizationCodes + accessTokens + refreshTokens + sessions + loginFailures + auditEvents + deviceCodes
                    + rateLimitCounters + emailLinks + mails + passkeyChallenges + registrationTokens + pushedRequests + assertionIds
                    + logoutDeliveries + dpopProofs;
        }

        public static final Deleted NONE = new Deleted(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** Whether some rule deleted {@code limit} rows, and so may have more to delete. */
        public boolean reached(int limit) {
            // Grants, access and refresh tokens sum two rules each: either may have reached it.
            return Math.max(Math.max(grants, accessTokens), refreshTokens) >= limit || authorizationCodes >= limit
                    || sessions >= limit || loginFailures >= limit || auditEvents >= limit || deviceCodes >= limit
                    || rateLimitCounters >= limit || emailLinks >= limit || mails >= limit || passkeyChallenges >= limit
                    || registrationTokens >= limit || pushedRequests >= limit || assertionIds >= limit || logoutDeliveries >= limit
                    || dpopProofs >= limit;
        }

        /** These counts and {@code other}'s together. */
        public Deleted plus(Deleted other) {
            return new Deleted(grants + other.grants, authorizationCodes + other.authorizationCodes, accessTokens + other.accessTokens,
                    refreshTokens + other.refreshTokens, sessions + other.sessions, loginFailures + other.loginFailures,
                    auditEvents + other.auditEvents, deviceCodes + other.deviceCodes, rateLimitCounters + other.rateLimitCounters,
                    emailLinks + other.emailLinks, mails + other.mails, passkeyChallenges + other.passkeyChallenges,
                    registrationTokens + other.registrationTokens, pushedRequests + other.pushedRequests,
                    assertionIds + other.assertionIds, logoutDeliveries + other.logoutDeliveries, dpopProofs + other.dpopProofs);
        }

        /** The counts by table, as the metrics label them. */
        public Map<String, Integer> byTable() {
            return Map.ofEntries(Map.entry("grants", grants), Map.entry("authorization_codes", authorizationCodes),
                    Map.entry("access_tokens", accessTokens), Map.entry("refresh_tokens", refreshTokens),
                    Map.entry("sessions", sessions), Map.entry("login_failures", loginFailures),
                    Map.entry("audit_events", auditEvents), Map.entry("device_codes", deviceCodes),
                    Map.entry("rate_limit_counters", rateLimitCounters), Map.entry("email_links", emailLinks),
                    Map.entry("mail_outbox", mails), Map.entry("passkey_challenges_used", passkeyChallenges),
                    Map.entry("registration_tokens", registrationTokens),
                    Map.entry("pushed_authorization_requests", pushedRequests),
                    Map.entry("client_assertion_jtis", assertionIds), Map.entry("logout_deliveries", logoutDeliveries),
                    Map.entry("dpop_proof_jtis", dpopProofs));
        }
    }

    /**
     * Deletes revoked grants (and through the schema their codes and tokens), expired codes,
     * device codes and tokens, grants left with nothing live, expired sessions, sign-in failures older than
     * {@code failuresBefore}, audit events older than {@code auditBefore}, API rate-limit
     * counters whose window has ended, expired email links (and with them the mail still waiting
     * to carry them), mail that left the outbox, the records of passkey challenges now expired,
     * expired initial access tokens, pushed authorization requests never taken, and the jtis of
     * client assertions now expired, logout tokens sent or given up, and the jtis of DPoP proofs now
     * too old to be accepted: at most {@code limit} rows by each rule, so the caller repeats it while any rule
     * deleted that many ({@link Deleted#reached}).
     */
    Deleted deleteExpired(Instant now, Instant failuresBefore, Instant auditBefore, int limit);
}
