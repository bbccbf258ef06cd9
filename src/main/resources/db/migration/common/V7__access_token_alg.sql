-- How a client's JWT access tokens are signed (RFC 9068 §2.1): ES256, as every JWT access token
-- was before this setting, or RS256 for resource servers that verify only RSA.
ALTER TABLE clients ADD COLUMN access_token_alg varchar(10) NOT NULL DEFAULT 'ES256';
