-- PostgreSQL for Castgate: a role that owns its database and nothing else. Run as the
-- superuser, once, with the password set on the command line:
--
--   sudo -u postgres psql -v password="'a long random password'" -f deploy/postgresql.sql
--
-- Castgate's migrations create and change the tables at the first start of each new version,
-- as this role; no extension is needed. Give every node the same CASTGATE_DATABASE_URL,
-- CASTGATE_DATABASE_USERNAME and CASTGATE_DATABASE_PASSWORD (deploy/castgate.env).

CREATE ROLE castgate LOGIN PASSWORD :password;
CREATE DATABASE castgate OWNER castgate ENCODING 'UTF8' TEMPLATE template0;
-- Only the owner may connect; PostgreSQL lets every role connect to a new database by default.
REVOKE ALL ON DATABASE castgate FROM PUBLIC;
\connect castgate
-- The tables go in the public schema, which only the owner may change (the default from PostgreSQL 15).
ALTER SCHEMA public OWNER TO castgate;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
