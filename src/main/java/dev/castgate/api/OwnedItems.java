package dev.castgate.api;

import dev.castgate.api.ApiParams.Edit;
import dev.castgate.domain.Owned;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.store.OwnedStore;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code /channels/{id}} and {@code /videos/{id}}: reading, renaming and deleting a channel or a
 * video, by the same rules. Anyone reads the public data, the owner the detail; only the owner
 * edits or deletes. The lookup comes after the token and scope checks, so an unauthorised caller
 * cannot tell which ids exist.
 *
 * @param name what the item is called in the JSON body and in errors: "channel" or "video"
 * @param body its JSON shape, the owner's detail when the flag is true
 */
record OwnedItems<T extends Owned>(OwnedStore<T> store, String name, BiFunction<T, Boolean, Map<String, Object>> body) {
    T find(String id) { return store.find(id).orElseThrow(() -> notFound(name)); }

    /** The item the request's {@code {id}} names. */
    T find(Context ctx) { return find(ApiParams.pathParam(ctx, "id")); }

    /** The item the request's {@code {id}} names, which must be the caller's. */
    T own(Context ctx, Caller caller) {
        T item = find(ctx);
        caller.requireOwnerOf(item.ownerId(), name);
        return item;
    }

    void read(Context ctx, Optional<Caller> caller) {
        T item = find(ctx);
        Json.respond(ctx, 200, Map.of(name, body.apply(item, Caller.owns(caller, item.ownerId()))));
    }

    void update(Context ctx, Caller caller) {
        T item = own(ctx, caller);
        Edit edit = Edit.parse(Form.parse(ctx));
        store.update(item.id(), edit.title().orElse(item.title()), edit.description().orElse(item.description()));
        Json.respond(ctx, 200, Map.of(name, body.apply(find(item.id()), true)));
    }

    void delete(Context ctx, Caller caller) {
        store.delete(own(ctx, caller).id());
        ctx.status(204);
    }

    static OAuthException notFound(String what) {
        return new OAuthException(OAuthError.NOT_FOUND, "no such " + what);
    }
}
