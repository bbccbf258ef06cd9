package dev.castgate.admin;

import dev.castgate.config.Durations;
import dev.castgate.domain.AuditEvent;
import dev.castgate.store.AuditStore;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reading the audit trail, for {@code castgate audit list} and the admin API alike: what a "since"
 * and a limit may be, which event types a filter names, and how one event is shown. Each refusal
 * names the option or parameter the caller gave, as the caller spells it.
 */
public record AuditReading(AuditStore store, Clock clock) {
    /** The most events one read returns. */
    public static final int MAX_LIMIT = 1_000_000;

    /** A time (2026-11-28T10:00:00Z) or an age before now (90m, 24h, 7d). */
    public Instant since(String option, String raw) {
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException notATime) {
            try {
                return clock.instant().minus(Durations.parse(raw));
            } catch (IllegalArgumentException e) {
                throw new AdminException(option + " must be a time such as 2026-11-28T10:00:00Z or an age such as 24h");
            }
        }
    }

    public static int limit(String option, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw new AdminException(option + " must be between 1 and " + MAX_LIMIT);
        return limit;
    }

    /** Event types by their lower-case names, comma-separated ("user_created,client_updated"); empty for all. */
    public static Set<AuditEvent.Type> types(String option, String raw) {
        Set<AuditEvent.Type> types = EnumSet.noneOf(AuditEvent.Type.class);
        for (String name : raw.split(",")) {
            if (name.isBlank()) continue;
            try {
                types.add(AuditEvent.Type.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new AdminException(option + " names an unknown event type '" + name.strip() + "'");
            }
        }
        return types;
    }

    /** Events since {@code since}, newest first, of {@code types} (all when empty). */
    public List<AuditEvent> newest(Instant since, Set<AuditEvent.Type> types, int limit) {
        return store.latest(since, types, limit);
    }

    /** One event as the tool's {@code --json} and the admin API show it. */
    public static Map<String, Object> describe(AuditEvent e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", e.at().toString());
        body.put("event", e.type().wireName());
        body.put("outcome", e.outcome().wireName());
        e.userId().ifPresent(v -> body.put("user_id", v.value()));
        e.clientId().ifPresent(v -> body.put("client_id", v.value()));
        e.address().ifPresent(v -> body.put("address", v));
        e.detail().ifPresent(v -> body.put("detail", v));
        return body;
    }
}
