package dev.castgate.store;

import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts. Usernames and emails are stored lower-case, so look-ups ignore case. */
public interface UserStore {
    /** Stores a new account unless its username or email is taken by another (as either). */
    Insertion insert(User user);

    /** What {@link #insert} did. */
    enum Insertion { INSERTED, TAKEN }

    Optional<User> find(UserId userId);

    /** Finds by username or by email, whichever the person typed. */
    Optional<User> findByLogin(String usernameOrEmail);

    List<User> list();

    /**
     * Sets name, email and whether the email is verified, changed {@code at}; false when another
     * account has that email. Every profile change below records its time, for the {@code updated_at} claim.
     */
    boolean updateProfile(UserId userId, Optional<String> name, String email, boolean emailVerified, Instant at);

    void updatePassword(UserId userId, String passwordHash);

    /**
     * Sets username, email, whether the email is verified, and name, as an operator changes them.
     * The username and the email are each checked against every other account's username and
     * email, as {@link #insert} checks a new account's.
     */
    Change updateAccount(UserId userId, String username, String email, boolean emailVerified, Optional<String> name, Instant at);

    /** What {@link #updateAccount} did. */
    enum Change { CHANGED, TAKEN, NOT_FOUND }

    /** Sets whether the email is verified; false when there is no such account. */
    boolean setEmailVerified(UserId userId, boolean verified, Instant at);

    /** Marks the account disabled from {@code at}; false when it was disabled already or does not exist. */
    boolean disable(UserId userId, Instant at);

    /** Clears the mark; false when the account was not disabled or does not exist. */
    boolean enable(UserId userId);

    /** Deletes the account and, through the schema, everything that cascades from it; false when there was none. */
    boolean delete(UserId userId);

    /** Counts what hangs off the account, in one query. */
    AccountHoldings holdings(UserId userId, Instant now);

    /**
     * Sets the email, confirmed by a link followed from it, and marks it verified; false when
     * another account has that email meanwhile.
     */
    boolean confirmEmail(UserId userId, String email, Instant at);
}
