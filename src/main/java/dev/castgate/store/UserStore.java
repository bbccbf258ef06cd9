package dev.castgate.store;

import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
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

    /** Sets name, email and whether the email is verified; false when another account has that email. */
    boolean updateProfile(UserId userId, Optional<String> name, String email, boolean emailVerified);

    void updatePassword(UserId userId, String passwordHash);

    /**
     * Sets the email, confirmed by a link followed from it, and marks it verified; false when
     * another account has that email meanwhile.
     */
    boolean confirmEmail(UserId userId, String email);
}
