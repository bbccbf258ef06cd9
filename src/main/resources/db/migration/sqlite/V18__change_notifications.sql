-- PostgreSQL's V18 adds triggers that notify every node of revocations and client changes.
-- SQLite serves one node and has no notifications: its caches expire by their time alone. This
-- file keeps both databases' histories at the same version.
SELECT 1;
