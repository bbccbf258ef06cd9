package dev.castgate.store.jdbc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.ColumnMappers;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row to a record through its canonical constructor: each component is read from the
 * column of its name in snake_case ({@code grantId} from {@code grant_id}, unless renamed) by the
 * column mapper Jdbi has for the component's type ({@link Mappings}: times, scopes, enums;
 * Jdbi's own for strings, numbers and {@code Optional}).
 *
 * <p>What {@link ConstructorMapper} does, but with the columns, their mappers and the constructor
 * looked up once, at the mapper's first row. ConstructorMapper matches names and finds
 * mappers again for every query and calls the constructor reflectively for every row: the one-row
 * token lookup took about twice the processor time with it.
 */
final class RecordMapper<T extends Record> implements RowMapper<T> {
    private final Class<T> type;
    private final ColumnMappers mappers;
    private final Map<String, String> renamed;
    /**
     * Worked out at the first row rather than at start-up: spinning the constructor's method
     * handle for each of some twenty row types was a sixth of the server's start, and most types
     * are not read until someone uses a page that needs them. Two threads may both work it out
     * at once; they get the same plan, and one is kept.
     */
    private volatile Plan plan;

    /** The columns, their mappers and the canonical constructor, taking its arguments as one {@code Object[]}. */
    private record Plan(String[] columns, ColumnMapper<?>[] readers, MethodHandle constructor) {}

    private RecordMapper(Class<T> type, ColumnMappers mappers, Map<String, String> renamed) {
        this.type = type;
        this.mappers = mappers;
        this.renamed = renamed;
    }

    /** {@code renamed} maps a component's name to its column where snake_case does not give it. */
    static <T extends Record> RecordMapper<T> of(Class<T> type, ColumnMappers mappers, Map<String, String> renamed) {
        return new RecordMapper<>(type, mappers, renamed);
    }

    static <T extends Record> RecordMapper<T> of(Class<T> type, ColumnMappers mappers) { return of(type, mappers, Map.of()); }

    /** Works the plan out now; a type no row can be mapped to fails here. */
    RecordMapper<T> resolved() {
        plan();
        return this;
    }

    @Override
    public T map(ResultSet rs, StatementContext ctx) throws SQLException {
        Plan p = plan();
        Object[] values = new Object[p.columns().length];
        for (int i = 0; i < values.length; i++) values[i] = p.readers()[i].map(rs, p.columns()[i], ctx);
        try {
            return type.cast((Object) p.constructor().invokeExact(values));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName() + " of a row", e);
        }
    }

    private Plan plan() {
        Plan p = plan;
        if (p == null) plan = p = newPlan();
        return p;
    }

    private Plan newPlan() {
        RecordComponent[] components = type.getRecordComponents();
        String[] columns = new String[components.length];
        ColumnMapper<?>[] readers = new ColumnMapper<?>[components.length];
        Class<?>[] parameters = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            columns[i] = renamed.getOrDefault(component.getName(), snakeCase(component.getName()));
            readers[i] = mappers.findFor(QualifiedType.of(component.getGenericType())).orElseThrow(() -> new IllegalStateException(
                    "no column mapper for " + type.getSimpleName() + "." + component.getName()));
            parameters[i] = component.getType();
        }
        try {
            MethodHandle constructor = MethodHandles.publicLookup().findConstructor(type, MethodType.methodType(void.class, parameters))
                    .asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new Plan(columns, readers, constructor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no public canonical constructor for " + type.getName(), e);
        }
    }

    private static String snakeCase(String name) {
        StringBuilder column = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) column.append('_').append(Character.toLowerCase(c));
            else column.append(c);
        }
        return column.toString();
    }
}
