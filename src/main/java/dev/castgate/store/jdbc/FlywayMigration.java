package dev.castgate.store.jdbc;

import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The calls to Flyway, defined by {@link FlywayLoader} so that they link to its Flyway. Public:
 * defined by another loader, it is in another runtime package than the class that makes it.
 * Flyway is given that loader too, for its plugins (the PostgreSQL support is one), which it finds
 * with the {@link java.util.ServiceLoader}.
 */
public final class FlywayMigration implements BiConsumer<DataSource, String[]> {
    @Override
    public void accept(DataSource dataSource, String[] locations) {
        Flyway.configure(FlywayMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations)
                .load()
                .migrate();
    }
}
