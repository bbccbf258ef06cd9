package dev.castgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README names every kind of audit event as the tool and the metrics print it, and no other. */
class AuditEventNamesTest {
    private static final Pattern NAME = Pattern.compile("`([a-z_]+)`");

    @Test
    void theReadmeListsEveryEventByItsWireName() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| event | what |");
        assertThat(start).as("the README's table of audit events").isPositive();
        List<String> rows = readme.substring(start).lines().skip(2).takeWhile(line -> line.startsWith("|")).toList();
        List<String> listed = rows.stream().flatMap(row -> {
            Matcher m = NAME.matcher(row.split("\\|")[1]);
            return m.results().map(r -> r.group(1));
        }).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(Arrays.stream(AuditEvent.Type.values()).map(AuditEvent.Type::wireName).toList());
    }

    @Test
    void theReadmeNeverNamesAnEventInCapitals() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (AuditEvent.Type type : AuditEvent.Type.values()) {
            assertThat(readme).as(type.name()).doesNotContain("`" + type.name() + "`");
        }
    }

    @Test
    void theWireNameIsTheLowerCaseName() {
        assertThat(AuditEvent.Type.CLIENT_UPDATED.wireName()).isEqualTo("client_updated");
        assertThat(AuditEvent.Outcome.FAILURE.wireName()).isEqualTo("failure");
    }
}
