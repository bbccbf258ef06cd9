package dev.castgate.api;

import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import dev.castgate.store.UserStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /users/self}: the user the token acts for. */
final class UsersResource {
    private final UserStore users;

    UsersResource(UserStore users) { this.users = users; }

    void self(Context ctx, Caller caller) {
        User user = users.find(caller.requireUser())
                .orElseThrow(() -> OAuthException.invalidToken("the account behind this token no longer exists"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id().value());
        body.put("username", user.username());
        // The address is personal data, released only with the scope that asks for it.
        if (caller.scope().contains(Scope.EMAIL)) body.put("email", user.email());
        Json.respond(ctx, 200, body);
    }
}
