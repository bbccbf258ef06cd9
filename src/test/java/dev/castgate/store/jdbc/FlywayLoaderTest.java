package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Flyway's classes are the migrations loader's own, kept out of the class cache; everything else is shared. */
class FlywayLoaderTest {
    private final ClassLoader application = FlywayLoaderTest.class.getClassLoader();
    private final FlywayLoader loader = new FlywayLoader(application);

    @Test
    void definesFlywayItsJsonLibraryAndTheMigrationCallItself() throws Exception {
        for (String name : new String[] {"org.flywaydb.core.Flyway", "tools.jackson.databind.ObjectMapper", "dev.castgate.store.jdbc.FlywayMigration"}) {
            Class<?> own = loader.loadClass(name);
            assertThat(own.getClassLoader()).as(name).isSameAs(loader);
            assertThat(own).as(name).isNotSameAs(Class.forName(name, false, application));
            // Signers keep a class out of the JVM's ahead-of-time cache.
            assertThat(own.getSigners()).as(name).isNotEmpty();
            assertThat(loader.loadClass(name)).as("%s, asked again", name).isSameAs(own);
        }
    }

    @Test
    void sharesTheJdbcInterfacesLoggingAndCastgatesOtherClasses() throws Exception {
        for (Class<?> shared : new Class<?>[] {DataSource.class, org.slf4j.Logger.class, Migrations.class, String.class}) {
            assertThat(loader.loadClass(shared.getName())).isSameAs(shared);
        }
    }

    @Test
    void findsResourcesWhereTheApplicationDoes() {
        assertThat(loader.getResource("db/migration/common")).isEqualTo(application.getResource("db/migration/common"));
    }
}
