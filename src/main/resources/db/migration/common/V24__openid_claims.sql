-- OpenID claims (OIDC Core §5). Portable SQL; times are epoch milliseconds.

-- When an account's profile (username, name, email or its verification) last changed: the
-- updated_at claim. Accounts made before it was kept count from their creation.
ALTER TABLE users ADD COLUMN updated_at bigint;
UPDATE users SET updated_at = created_at;

-- The claims an authorization request named with the claims parameter (§5.5), kept with its
-- grant so every ID token and userinfo answer of the grant returns them: "id_token.name
-- userinfo.email", only claims Castgate releases. NULL for none.
ALTER TABLE grants ADD COLUMN claims_request varchar(400);

-- Whether the client's ID tokens carry email and email_verified with the email scope (1, the
-- original service's behaviour) or leave them to userinfo (0).
ALTER TABLE clients ADD COLUMN email_in_id_token integer NOT NULL DEFAULT 1;
