-- Signing keys rotate (README, Signing keys). A key's generation counts its algorithm's keys from
-- 0; a rotation adds the next one, and the unique index lets one writer add it, so two nodes (or a
-- node and the command line) rotating at once make one key, not two. A key is published from its
-- row's creation, signs from activates_at until a newer key of its algorithm activates, and is
-- published until retired_at; a retired key's material is deleted (jwk = '') and its row kept, so
-- the list shows its history and a token naming it is known to be retired.
ALTER TABLE signing_keys ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN activates_at bigint NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN retired_at bigint;

UPDATE signing_keys SET activates_at = created_at;
UPDATE signing_keys SET generation = (SELECT COUNT(*) FROM signing_keys o WHERE o.algorithm = signing_keys.algorithm
    AND (o.created_at < signing_keys.created_at OR (o.created_at = signing_keys.created_at AND o.kid < signing_keys.kid)));
-- Two nodes starting at once on an empty database could each make a key of an algorithm. Every
-- node signed with the oldest, so the later ones never signed anything: they retire here.
UPDATE signing_keys SET retired_at = created_at, jwk = '' WHERE generation > 0;

CREATE UNIQUE INDEX signing_keys_generation ON signing_keys (algorithm, generation);
