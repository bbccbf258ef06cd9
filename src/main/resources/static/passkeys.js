// Castgate's one script, loaded only by the pages that offer a passkey. Each form marked
// data-passkey holds its ceremony's options (data-options, JSON from the server); where the
// browser has WebAuthn, the form is shown, and submitting it asks the browser for the passkey,
// then posts the answer in hidden fields, each binary value base64url. Without this script (or
// without WebAuthn) the forms stay hidden and every other form works as before.
"use strict";
(function () {
    function toBuffer(text) {
        var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        base64 += "===".slice((base64.length + 3) % 4);
        var raw = atob(base64);
        var bytes = new Uint8Array(raw.length);
        for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
        return bytes.buffer;
    }

    function toText(buffer) {
        var bytes = new Uint8Array(buffer);
        var raw = "";
        for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
        return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    function descriptors(ids) {
        return ids.map(function (id) { return { type: "public-key", id: toBuffer(id) }; });
    }

    function field(form, name, value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }

    // Discoverable passkeys (they also sign in without the password), the person's verification
    // preferred, no attestation: ES256, EdDSA and RS256 keys.
    function create(options) {
        return navigator.credentials.create({ publicKey: {
            challenge: toBuffer(options.challenge),
            rp: options.rp,
            user: { id: toBuffer(options.user.id), name: options.user.name, displayName: options.user.displayName },
            pubKeyCredParams: [{ type: "public-key", alg: -7 }, { type: "public-key", alg: -8 }, { type: "public-key", alg: -257 }],
            excludeCredentials: descriptors(options.exclude),
            authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
            attestation: "none",
            timeout: options.timeout
        } });
    }

    function get(options) {
        return navigator.credentials.get({ publicKey: {
            challenge: toBuffer(options.challenge),
            rpId: options.rpId,
            allowCredentials: descriptors(options.allow),
            userVerification: options.userVerification,
            timeout: options.timeout
        } });
    }

    function start(form, button, failed) {
        var creating = form.getAttribute("data-passkey") === "create";
        var options = JSON.parse(form.getAttribute("data-options"));
        failed.hidden = true;
        button.disabled = true;
        (creating ? create(options) : get(options)).then(function (credential) {
            var response = credential.response;
            field(form, "passkey_id", toText(credential.rawId));
            field(form, "passkey_client_data", toText(response.clientDataJSON));
            if (creating) {
                field(form, "passkey_attestation", toText(response.attestationObject));
                field(form, "passkey_transports", (response.getTransports ? response.getTransports() : []).join(" "));
            } else {
                field(form, "passkey_authenticator_data", toText(response.authenticatorData));
                field(form, "passkey_signature", toText(response.signature));
                if (response.userHandle) field(form, "passkey_user_handle", toText(response.userHandle));
            }
            form.submit();
        }, function () {
            // Cancelled, timed out, or no passkey for this site on this device: say so, and let the person try again.
            failed.hidden = false;
            button.disabled = false;
        });
    }

    if (!window.PublicKeyCredential || !navigator.credentials) return;
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) { note.hidden = true; });
    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
        var button = form.querySelector("button");
        var failed = form.querySelector("[data-passkey-failed]");
        form.hidden = false;
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            start(form, button, failed);
        });
    });
})();
