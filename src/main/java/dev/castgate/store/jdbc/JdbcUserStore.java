package dev.castgate.store.jdbc;

import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.UserStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

record JdbcUserStore(HandleSource db) implements UserStore {
    private static final String COLUMNS = "id, username, email, email_verified, name, password_hash, created_at";

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
                h.createUpdate("INSERT INTO users (" + COLUMNS + ") VALUES (:id, :username, :email, :emailVerified, :name, :passwordHash, :createdAt)")
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
    public boolean updateProfile(UserId userId, Optional<String> name, String email, boolean emailVerified) {
        String lower = email.toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // As in insert: a taken email is an answer; the UNIQUE constraint still decides a race.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e OR username = :e) AND id <> :id")
                    .bind("e", lower).bind("id", userId).mapTo(Integer.class).one() > 0;
            if (taken) return false;
            try {
                return h.createUpdate("UPDATE users SET name = :name, email = :e, email_verified = :verified WHERE id = :id")
                        .bind("name", name.orElse(null)).bind("e", lower).bind("verified", emailVerified).bind("id", userId)
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
    public boolean confirmEmail(UserId userId, String email) {
        String lower = email.toLowerCase(Locale.ROOT);
        return db.with(h -> {
            // Another account may have taken the address since the link was sent; the UNIQUE
            // constraint still decides a race, which the caller's transaction then rolls back.
            boolean taken = h.createQuery("SELECT COUNT(*) FROM users WHERE (email = :e OR username = :e) AND id <> :id")
                    .bind("e", lower).bind("id", userId).mapTo(Integer.class).one() > 0;
            if (taken) return false;
            return h.createUpdate("UPDATE users SET email = :e, email_verified = :verified WHERE id = :id")
                    .bind("e", lower).bind("verified", true).bind("id", userId).execute() == 1;
        });
    }
}
