-- Admin clients (0 or 1): only these may receive the admin scope, and only through the
-- client_credentials grant, for the admin API under /admin/api. Every client stays a plain one.
ALTER TABLE clients ADD COLUMN admin_client integer NOT NULL DEFAULT 0;
