package dev.castgate.store.jdbc;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Authentication;
import dev.castgate.domain.AuthenticationLevel;
import dev.castgate.domain.Audience;
import dev.castgate.domain.ClaimsRequest;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Channel;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.Session;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.domain.Video;
import dev.castgate.store.LoginFailureStore;
import java.lang.reflect.Type;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.argument.NullArgument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.ColumnMappers;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * How the domain's values are stored, registered once on the Jdbi instance, so a store binds an
 * {@code Instant}, a {@code Scope}, an enum or a typed id as it is and reads rows with {@code mapTo(X.class)}:
 * times are epoch milliseconds in {@code bigint} columns (see docs/design-notes.md, Storage),
 * scopes their space-separated wire form, enums their wire names, ids and hashes their bare strings; {@code Optional} and nulls
 * come with Jdbi's own factories. The row mappers are built here, once, at start-up.
 */
final class Mappings {
    private Mappings() {}

    /** Sets one parameter to a value that is not null. */
    @FunctionalInterface
    private interface Setter<T> {
        void set(PreparedStatement statement, int position, T value) throws SQLException;
    }

    /** One value type stored in one column: how it is written and how it is read back. */
    private record Stored<T>(Class<T> type, int sqlType, Setter<T> toColumn, ColumnMapper<T> fromColumn) {}

    private static <T> Stored<T> text(Class<T> type, Function<T, String> wireName, Function<String, T> parse) {
        return new Stored<>(type, Types.VARCHAR, (st, i, value) -> st.setString(i, wireName.apply(value)), (rs, i, ctx) -> {
            String value = rs.getString(i);
            return value == null ? null : parse.apply(value);
        });
    }

    private static final List<Stored<?>> STORED = List.of(
            // A plain Instant stands for a NOT NULL column, read without asking wasNull(): on SQLite
            // that is a second call into native code for every time of every row.
            new Stored<>(Instant.class, Types.BIGINT, (st, i, value) -> st.setLong(i, value.toEpochMilli()),
                    (rs, i, ctx) -> Instant.ofEpochMilli(rs.getLong(i))),
            new Stored<>(Scope.class, Types.VARCHAR, (st, i, value) -> st.setString(i, value.wireValue()), (rs, i, ctx) -> Scope.parseOrNull(rs.getString(i))),
            text(ClientType.class, ClientType::wireName, ClientType::parse),
            text(AccessTokenFormat.class, AccessTokenFormat::wireName, AccessTokenFormat::parse),
            text(SigningAlgorithm.class, SigningAlgorithm::name, SigningAlgorithm::parse),
            text(DeviceAuthorization.Status.class, DeviceAuthorization.Status::column, DeviceAuthorization.Status::ofColumn),
            text(AuditEvent.Type.class, AuditEvent.Type::name, AuditEvent.Type::valueOf),
            text(AuditEvent.Outcome.class, AuditEvent.Outcome::name, AuditEvent.Outcome::valueOf),
            text(EmailLink.Purpose.class, EmailLink.Purpose::column, EmailLink.Purpose::ofColumn),
            text(OutboxMail.Kind.class, OutboxMail.Kind::column, OutboxMail.Kind::ofColumn),
            text(Authentication.class, Authentication::wireValue, Authentication::parse),
            text(AuthenticationLevel.class, AuthenticationLevel::wireName, stored -> AuthenticationLevel.find(stored).orElseThrow(
                    () -> new IllegalArgumentException("unknown authentication level " + stored))),
            // NULL for a grant whose request named no claims.
            new Stored<>(ClaimsRequest.class, Types.VARCHAR, (st, i, value) -> st.setString(i, value.isEmpty() ? null : value.storedForm()),
                    (rs, i, ctx) -> ClaimsRequest.fromStored(rs.getString(i))),
            // NULL for the default audience.
            new Stored<>(Audience.class, Types.VARCHAR, (st, i, value) -> st.setString(i, value.storedForm()),
                    (rs, i, ctx) -> Audience.fromStored(rs.getString(i))),
            // The typed ids and hashes are their bare strings in the same text columns as before.
            text(ClientId.class, ClientId::value, ClientId::new),
            text(UserId.class, UserId::value, UserId::new),
            text(GrantId.class, GrantId::value, GrantId::new),
            text(TokenHash.class, TokenHash::value, TokenHash::new));

    /** A nullable time column. */
    private static final GenericType<Optional<Instant>> OPTIONAL_INSTANT = new GenericType<>() {};
    private static final ColumnMapper<Optional<Instant>> OPTIONAL_INSTANT_COLUMN = (rs, i, ctx) -> {
        long millis = rs.getLong(i);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    };

    /** The column mappers the row mappers below are built from: Jdbi's, with the domain's on top. */
    private static final ColumnMappers COLUMNS = new ConfigRegistry().get(ColumnMappers.class);

    static {
        for (Stored<?> stored : STORED) COLUMNS.register(stored.type(), stored.fromColumn());
        COLUMNS.register(OPTIONAL_INSTANT, OPTIONAL_INSTANT_COLUMN);
    }

    static final RowMapper<AccessToken> ACCESS_TOKEN = RecordMapper.of(AccessToken.class, COLUMNS);

    /** Every row mapper, by the type it makes; columns are named as the components, in snake_case, unless renamed here. */
    static final Map<Class<?>, RowMapper<?>> ROWS = Map.ofEntries(
            Map.entry(AccessToken.class, ACCESS_TOKEN),
            Map.entry(RefreshToken.class, RecordMapper.of(RefreshToken.class, COLUMNS)),
            Map.entry(Grant.class, RecordMapper.of(Grant.class, COLUMNS)),
            Map.entry(ConnectedApp.class, RecordMapper.of(ConnectedApp.class, COLUMNS, Map.of("grantId", "id"))),
            Map.entry(AuthorizationCode.class, RecordMapper.of(AuthorizationCode.class, COLUMNS)),
            Map.entry(DeviceAuthorization.class, RecordMapper.of(DeviceAuthorization.class, COLUMNS)),
            Map.entry(DevicePassword.class, RecordMapper.of(DevicePassword.class, COLUMNS)),
            Map.entry(Session.class, RecordMapper.of(Session.class, COLUMNS)),
            Map.entry(User.class, RecordMapper.of(User.class, COLUMNS)),
            Map.entry(Channel.class, RecordMapper.of(Channel.class, COLUMNS)),
            Map.entry(Video.class, RecordMapper.of(Video.class, COLUMNS)),
            Map.entry(SigningKey.class, RecordMapper.of(SigningKey.class, COLUMNS, Map.of("jwkJson", "jwk"))),
            Map.entry(AuditEvent.class, RecordMapper.of(AuditEvent.class, COLUMNS, Map.of("at", "occurred_at", "type", "event_type"))),
            Map.entry(EmailLink.class, RecordMapper.of(EmailLink.class, COLUMNS)),
            Map.entry(OutboxMail.class, RecordMapper.of(OutboxMail.class, COLUMNS)),
            Map.entry(dev.castgate.domain.LogoutDelivery.class, RecordMapper.of(dev.castgate.domain.LogoutDelivery.class, COLUMNS)),
            Map.entry(dev.castgate.domain.Passkey.class, RecordMapper.of(dev.castgate.domain.Passkey.class, COLUMNS)),
            Map.entry(AccountHoldings.class, RecordMapper.of(AccountHoldings.class, COLUMNS)),
            Map.entry(LoginFailureStore.Counts.class, RecordMapper.of(LoginFailureStore.Counts.class, COLUMNS)),
            Map.entry(dev.castgate.domain.Client.class, JdbcClientStore.ROW));

    /** Registers the value types' arguments and column mappers and every row mapper on {@code jdbi}. */
    static Jdbi install(Jdbi jdbi) {
        for (Stored<?> stored : STORED) {
            jdbi.registerArgument(new StoredArgument<>(stored));
            jdbi.registerColumnMapper(stored.type(), stored.fromColumn());
        }
        jdbi.registerColumnMapper(OPTIONAL_INSTANT, OPTIONAL_INSTANT_COLUMN);
        ROWS.forEach(jdbi::registerRowMapper);
        return jdbi;
    }

    /**
     * Binds one value type, prepared once per type: Jdbi then binds without looking the factory
     * up again for every value. A null is bound with the column's SQL type, which PostgreSQL needs
     * where a parameter stands in a SELECT list ({@code INSERT ... SELECT ... WHERE EXISTS}).
     */
    private record StoredArgument<T>(Stored<T> stored) implements ArgumentFactory.Preparable {
        @Override
        public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
            if (type != stored.type()) return Optional.empty();
            NullArgument none = new NullArgument(stored.sqlType());
            return Optional.of(value -> value == null ? none
                    : (position, statement, ctx) -> stored.toColumn().set(statement, position, stored.type().cast(value)));
        }

        @Override
        public Collection<Type> prePreparedTypes() { return List.of(stored.type()); }
    }
}
