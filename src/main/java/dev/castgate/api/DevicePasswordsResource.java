package dev.castgate.api;

import dev.castgate.broadcast.DevicePasswords;
import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.UserId;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.store.DevicePasswordStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /users/self/device-passwords}: passwords an encoder that cannot do OAuth publishes with. */
record DevicePasswordsResource(DevicePasswordStore stored, DevicePasswords devicePasswords) {
    void list(Context ctx, Caller caller) {
        List<Object> list = new ArrayList<>();
        for (DevicePassword p : stored.findByUser(caller.requireUser())) list.add(body(p, Optional.empty()));
        Json.respond(ctx, 200, Map.of("device_passwords", list));
    }

    void create(Context ctx, Caller caller) {
        UserId userId = caller.requireUser();
        Form form = Form.parse(ctx);
        String deviceName = ApiParams.deviceName(form);
        Instant validFrom = ApiParams.unixTime(form.require("valid_from"), "valid_from");
        Optional<Instant> validUntil = form.optional("valid_until").map(v -> ApiParams.unixTime(v, "valid_until"));
        if (validUntil.isPresent() && !validUntil.get().isAfter(validFrom)) {
            throw OAuthException.invalidRequest("valid_until must be after valid_from");
        }
        DevicePasswords.Created created = devicePasswords.create(userId, caller.clientId(), deviceName, validFrom, validUntil);
        Json.respond(ctx, 201, body(created.devicePassword(), Optional.of(created.password())));
    }

    void delete(Context ctx, Caller caller) {
        UserId userId = caller.requireUser();
        String userName = ApiParams.pathParam(ctx, "user_name");
        if (!devicePasswords.remove(userId, caller.clientId(), userName)) throw OwnedItems.notFound("device password");
        ctx.status(204);
    }

    /** The password itself only in the answer that creates it: only its hash is stored. */
    private static Map<String, Object> body(DevicePassword p, Optional<String> password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_name", p.deviceName());
        body.put("user_name", p.userName());
        password.ifPresent(value -> body.put("password", value));
        body.put("valid_from", p.validFrom().getEpochSecond());
        body.put("valid_until", p.validUntil().map(Instant::getEpochSecond).orElse(null));
        return body;
    }
}
