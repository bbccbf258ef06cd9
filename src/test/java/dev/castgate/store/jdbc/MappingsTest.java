package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.jdbi.v3.core.mapper.RowMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Row mappers work out their columns and constructors at their first row, not at start-up; this
 * works every one out, so a record component without a column mapper fails here rather than at
 * some person's first use of a page.
 */
@Tag("sqlite-only")
class MappingsTest {
    @Test
    void everyRecordMapperCanBeWorkedOut() {
        int records = 0;
        for (RowMapper<?> mapper : Mappings.ROWS.values()) {
            if (!(mapper instanceof RecordMapper<?> record)) continue;
            records++;
            assertThatCode(record::resolved).doesNotThrowAnyException();
        }
        assertThat(records).isGreaterThan(15);
    }
}
