package dev.castgate.audit;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import java.util.Optional;

/**
 * Who carries out an operator's change: the command-line tool on the database, or an admin
 * client through the admin API. The services take it so that a change through either is audited
 * alike, and one through the API also names the admin client that made it.
 */
public record Operator(Optional<ClientId> adminClient) {
    /** The command-line tool: whoever may open the database. Its events read as they always did. */
    public static final Operator COMMAND_LINE = new Operator(Optional.empty());

    public static Operator adminClient(ClientId client) { return new Operator(Optional.of(client)); }

    /**
     * The event, naming the admin client that acted: in its client field where the event names no
     * client of its own, and in its detail always (a client event's client field is the client changed).
     */
    public AuditEvent stamp(AuditEvent event) {
        if (adminClient.isEmpty()) return event;
        ClientId by = adminClient.get();
        AuditEvent named = event.clientId().isEmpty() ? event.client(by) : event;
        return named.detail(named.detail().map(d -> d + "; ").orElse("") + "by admin client " + by.value());
    }
}
