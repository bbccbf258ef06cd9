package dev.castgate.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * Flyway, and the JSON library only it uses, defined by a class loader of their own for the one
 * start that migrates, and dropped with it.
 *
 * <p>Why: the first start after a build records the ahead-of-time class cache that every later
 * start maps and loads whole (JDK 25, see {@code bin/castgate}). A first start that created or
 * upgraded the schema loaded some 1,100 classes of Flyway and its JSON library from the
 * application's loader, so every later start loaded them again, for nothing: 10 MB more resident
 * memory and a slower start. Classes of another loader no start loads from the cache, but the
 * JVM still writes them into it, where they are mapped and resident; signed classes it leaves
 * out, hence {@link #NOT_CACHED}.
 *
 * <p>The loader defines the classes of {@link #OWN} itself, from the same class files the
 * application's loader would read, and asks its parent, the application's loader, for
 * everything else (the JDBC interfaces, SLF4J, Castgate's other classes) and for every resource,
 * so Flyway finds the migration files and its plugins where it always did.
 */
final class FlywayLoader extends ClassLoader {
    /** By name: a class literal would load it from the application's loader, linked to that loader's Flyway. */
    private static final String MIGRATION = "dev.castgate.store.jdbc.FlywayMigration";
    /**
     * Signers, which say nothing else here: the JVM leaves a class with signers out of the class
     * cache it writes (a signed jar's certificates may have changed by the next start), and
     * without them it would keep these classes in the cache, mapped at every start, even though
     * no start loads them from there.
     */
    private static final Object[] NOT_CACHED = {"castgate-migrations"};
    private static final List<String> OWN = List.of("org.flywaydb.", "tools.jackson.", MIGRATION);

    static {
        registerAsParallelCapable();
    }

    FlywayLoader(ClassLoader parent) {
        super("castgate-migrations", parent);
    }

    /** Applies the migrations at {@code locations} to {@code dataSource} with Flyway, in a loader of its own. */
    static void migrate(DataSource dataSource, String[] locations) {
        FlywayLoader loader = new FlywayLoader(FlywayLoader.class.getClassLoader());
        BiConsumer<DataSource, String[]> run;
        try {
            @SuppressWarnings("unchecked")
            BiConsumer<DataSource, String[]> made = (BiConsumer<DataSource, String[]>)
                    Class.forName(MIGRATION, true, loader).getConstructor().newInstance();
            run = made;
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("Flyway could not be loaded", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Flyway could not be loaded", e.getCause());
        }
        run.accept(dataSource, locations);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (OWN.stream().noneMatch(name::startsWith)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) throw new ClassNotFoundException(name);
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                    setSigners(loaded, NOT_CACHED);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) resolveClass(loaded);
            return loaded;
        }
    }
}
