-- The original service's behaviours, per client, each off by default (0 or 1):
-- the implicit flow with the token in the redirect's query (response_type=token),
ALTER TABLE clients ADD COLUMN allow_implicit integer NOT NULL DEFAULT 0;
-- PKCE with the plain method (otherwise S256 only),
ALTER TABLE clients ADD COLUMN allow_pkce_plain integer NOT NULL DEFAULT 0;
-- and redirect URIs matched by prefix (otherwise exactly).
ALTER TABLE clients ADD COLUMN prefix_redirect_match integer NOT NULL DEFAULT 0;
-- The password grant needs no column: it is the grant type 'password' in grant_types.
