-- Request objects (RFC 9101). Portable SQL.

-- A client whose authorization requests are accepted only inside a signed request object
-- (RFC 9101 §10.5, require_signed_request_object): 0 or 1.
ALTER TABLE clients ADD COLUMN require_signed_request_object integer NOT NULL DEFAULT 0;

-- The one JWS algorithm its request objects must be signed with (request_object_signing_alg);
-- NULL: any its keys allow.
ALTER TABLE clients ADD COLUMN request_object_signing_alg varchar(10);
