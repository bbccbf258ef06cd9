package dev.castgate.store.jdbc;

import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

record JdbcUserStore(HandleSource db) implements UserStore {
    private static final String COLUMNS = "id, username, email, email_verified, name, password_hash, created_at, updated_at, disabled_at";

    @Override
    public Insertion insert(User u) {
        String username = u.username().toLowerCase(Locale.ROOT);
        String email = u.email().toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // Checked first so a taken name is an answer, not a constraint error; the UNIQUE
            // constraints still decide a race between two writers.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE username IN (:u, :e) OR email IN (:u, :e)")
                    .bind("u", username).bind("e", email).mapTo(Integer.class).one() > 0;
            if (taken) return Insertion.TAKEN;
            try {
                h.createUpdate("INSERT INTO users (id, username, email, email_verified, name, password_hash, created_at, updated_at) "
                        + "VALUES (:id, :username, :email, :emailVerified, :name, :passwordHash, :createdAt, :updatedAt)")
                        .bindMethods(u)
                        .bind("username", username)
                        .bind("email", email)
                        .execute();
                return Insertion.INSERTED;
            } catch (UnableToExecuteStatementException e) {
                return Insertion.TAKEN;
            }
        });
    }

    @Override
    public Optional<User> find(UserId userId) {
        return db.findOne(User.class, "SELECT " + COLUMNS + " FROM users WHERE id = :id", Map.of("id", userId));
    }

    @Override
    public Optional<User> findByLogin(String usernameOrEmail) {
        String login = usernameOrEmail.trim().toLowerCase(Locale.ROOT);
        String column = login.contains("@") ? "email" : "username";
        return db.findOne(User.class, "SELECT " + COLUMNS + " FROM users WHERE " + column + " = :login", Map.of("login", login));
    }

    @Override
    public List<User> list() {
        return db.list(User.class, "SELECT " + COLUMNS + " FROM users ORDER BY username", Map.of());
    }

    @Override
    public boolean updateProfile(UserId userId, Optional<String> name, String email, boolean emailVerified, Instant at) {
        String lower = email.toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // As in insert: a taken email is an answer; the UNIQUE constraint still decides a race.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e OR username = :e) AND id <> :id")
                    .bind("e", lower).bind("id", userId).mapTo(Integer.class).one() > 0;
            if (taken) return false;
            try {
                return h.createUpdate("UPDATE users SET name = :name, email = :e, email_verified = :verified, updated_at = :at WHERE id = :id")
                        .bind("name", name.orElse(null)).bind("at", at).bind("e", lower).bind("verified", emailVerified).bind("id", userId)
                        .execute() == 1;
            } catch (UnableToExecuteStatementException e) {
                return false;
            }
        });
    }

    @Override
    public void updatePassword(UserId userId, String passwordHash) {
        db.update("UPDATE users SET password_hash = :hash WHERE id = :id", Map.of("hash", passwordHash, "id", userId));
    }

    @Override
    public Change updateAccount(UserId userId, String username, String email, boolean emailVerified, Optional<String> name,
                                Instant at) {
        String u = username.toLowerCase(Locale.ROOT);
        String e = email.toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // As in insert: a taken name is an answer; the UNIQUE constraints still decide a race.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE (username IN (:u, :e) OR email IN (:u, :e)) AND id <> :id")
                    .bind("u", u).bind("e", e).bind("id", userId).mapTo(Integer.class).one() > 0;
            if (taken) return Change.TAKEN;
            try {
                return h.createUpdate("UPDATE users SET username = :u, email = :e, email_verified = :verified, name = :name, updated_at = :at WHERE id = :id")
                        .bind("at", at).bind("u", u).bind("e", e).bind("verified", emailVerified).bind("name", name.orElse(null)).bind("id", userId)
                        .execute() == 1 ? Change.CHANGED : Change.NOT_FOUND;
            } catch (UnableToExecuteStatementException raced) {
                return Change.TAKEN;
            }
        });
    }

    @Override
    public boolean setEmailVerified(UserId userId, boolean verified, Instant at) {
        return db.update("UPDATE users SET email_verified = :verified, updated_at = :at WHERE id = :id",
                Map.of("verified", verified, "at", at, "id", userId)) == 1;
    }

    @Override
    public boolean disable(UserId userId, Instant at) {
        return db.update("UPDATE users SET disabled_at = :at WHERE id = :id AND disabled_at IS NULL", Map.of("at", at, "id", userId)) == 1;
    }

    @Override
    public boolean enable(UserId userId) {
        return db.update("UPDATE users SET disabled_at = NULL WHERE id = :id AND disabled_at IS NOT NULL", Map.of("id", userId)) == 1;
    }

    @Override
    public boolean delete(UserId userId) {
        return db.update("DELETE FROM users WHERE id = :id", Map.of("id", userId)) == 1;
    }

    @Override
    public AccountHoldings holdings(UserId userId, Instant now) {
        return db.one(AccountHoldings.class, "SELECT "
                + "(SELECT COUNT(*) FROM grants WHERE user_id = :id AND revoked_at IS NULL) AS grants, "
                + "(SELECT COUNT(*) FROM sessions WHERE user_id = :id AND expires_at > :now) AS sessions, "
                + "(SELECT COUNT(*) FROM consents WHERE user_id = :id) AS consents, "
                + "(SELECT COUNT(*) FROM channels WHERE owner_id = :id) AS channels, "
                + "(SELECT COUNT(*) FROM videos WHERE owner_id = :id) AS videos, "
                + "(SELECT COUNT(*) FROM device_passwords WHERE user_id = :id) AS device_passwords, "
                + "(SELECT COUNT(*) FROM passkeys WHERE user_id = :id) AS passkeys", Map.of("id", userId, "now", now));
    }

    @Override
    public boolean confirmEmail(UserId userId, String email, Instant at) {
        String lower = email.toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // Another account may have taken the address since the link was sent; the UNIQUE
            // constraint still decides a race, which the caller's transaction then rolls back.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e OR username = :e) AND id <> :id")
                    .bind("e", lower).bind("id", userId).mapTo(Integer.class).one() > 0;
            if (taken) return false;
            return h.createUpdate("UPDATE users SET email = :e, email_verified = :verified, updated_at = :at WHERE id = :id")
                    .bind("at", at).bind("e", lower).bind("verified", true).bind("id", userId).execute() == 1;
        });
    }
}
