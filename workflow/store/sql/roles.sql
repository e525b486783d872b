-- délib on PostgreSQL: a clerk role and an auditor role, and row-level security by council.
--
-- Run it with psql, as the owner of the délib tables (the role that ran `delib db upgrade`) if it
-- may create roles (CREATEROLE), else as a superuser; with the délib schema first in the
-- search_path (give délib a schema or a database of its own: the grants cover every table of the
-- schema); AFTER `delib db upgrade`, and again after each upgrade, since grants and policies only
-- cover the tables that exist when it runs:
--
--   psql "postgresql://owner@host/delib" -v ON_ERROR_STOP=1 -f roles.sql
--   psql ... -v clerk=greffe -v auditor=controle -f roles.sql     (other group role names)
--
-- It is idempotent. It creates two group roles (NOLOGIN); people log in as members of them:
--
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE delib_clerk;
--   INSERT INTO delib_clerk_council (role_name, council_id) VALUES ('alice', 'wambrechies');
--   CREATE ROLE crc LOGIN PASSWORD '...' IN ROLE delib_auditor;
--
-- * clerk: reads and writes only through the engine's tables: SELECT and INSERT on them, UPDATE
--   on all but `event` (the history), no DELETE or TRUNCATE anywhere, no DDL; and only the rows
--   of the councils the login role is bound to in `delib_clerk_council` (row-level security on
--   every table with a `council_id`, and on `council` itself). Rows of other councils are
--   invisible; writing one is refused ("new row violates row-level security policy"). A clerk
--   cannot bind itself to another council: the mapping table is the owner's to write.
-- * auditor: reads everything, of every council; writes nothing.
--
-- Below both, the append-only triggers of revision 0001 refuse UPDATE, DELETE and TRUNCATE on
-- `event` for everyone, the owner included, short of dropping them (owner only).

\set ON_ERROR_STOP on
\if :{?clerk}
\else
  \set clerk delib_clerk
\endif
\if :{?auditor}
\else
  \set auditor delib_auditor
\endif
SELECT current_schema() AS schema \gset

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'clerk') AS missing \gset
\if :missing
  CREATE ROLE :"clerk" NOLOGIN;
\endif
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'auditor') AS missing \gset
\if :missing
  CREATE ROLE :"auditor" NOLOGIN;
\endif

BEGIN;

-- Which login roles act for which councils (written by the owner only).
CREATE TABLE IF NOT EXISTS delib_clerk_council (
    role_name  name        NOT NULL,
    council_id varchar(64) NOT NULL,
    PRIMARY KEY (role_name, council_id)
);
ALTER TABLE delib_clerk_council ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_bindings ON delib_clerk_council;
CREATE POLICY own_bindings ON delib_clerk_council FOR SELECT TO :"clerk"
    USING (role_name = current_user);

GRANT USAGE ON SCHEMA :"schema" TO :"clerk", :"auditor";

-- Clerk: no DELETE, no TRUNCATE; UPDATE on the mutable tables only.
REVOKE ALL ON ALL TABLES IN SCHEMA :"schema" FROM :"clerk";
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA :"schema" TO :"clerk";
REVOKE INSERT, UPDATE ON alembic_version, delib_clerk_council FROM :"clerk";
REVOKE UPDATE ON event FROM :"clerk";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA :"schema" TO :"clerk";

-- Auditor: read only.
REVOKE ALL ON ALL TABLES IN SCHEMA :"schema" FROM :"auditor";
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO :"auditor";

-- Row-level security: each table with a council_id, and council itself, by the bindings.
SELECT set_config('delib.roles', :'clerk' || ',' || :'auditor', true);
DO $$
DECLARE
    clerk   name := split_part(current_setting('delib.roles'), ',', 1);
    auditor name := split_part(current_setting('delib.roles'), ',', 2);
    item    record;
    bound   text := 'IN (SELECT council_id FROM delib_clerk_council WHERE role_name = current_user)';
BEGIN
    FOR item IN
        SELECT c.table_name, CASE WHEN c.table_name = 'council' THEN 'id' ELSE 'council_id' END AS col
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema()
          AND c.table_name <> 'delib_clerk_council'
          AND ((c.table_name = 'council' AND c.column_name = 'id') OR c.column_name = 'council_id')
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', item.table_name);
        EXECUTE format('DROP POLICY IF EXISTS clerk_by_council ON %I', item.table_name);
        EXECUTE format('CREATE POLICY clerk_by_council ON %I TO %I USING (%I %s) WITH CHECK (%I %s)',
                       item.table_name, clerk, item.col, bound, item.col, bound);
        EXECUTE format('DROP POLICY IF EXISTS auditor_reads_all ON %I', item.table_name);
        EXECUTE format('CREATE POLICY auditor_reads_all ON %I FOR SELECT TO %I USING (true)',
                       item.table_name, auditor);
    END LOOP;
END
$$;

-- Ids are council-scoped: a session's and an act's id start with their council's id, and a row
-- can name only sessions and acts of its own council. With the row-level security above, a clerk
-- can neither take another council's ids (nothing to collide with, nothing revealed by a unique
-- violation) nor attach its act or event to another council's session.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'session_id_in_council'
                   AND conrelid = 'session'::regclass) THEN
        ALTER TABLE session ADD CONSTRAINT session_id_in_council
            CHECK (starts_with(id, council_id || '/'));
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'act_ids_in_council'
                   AND conrelid = 'act'::regclass) THEN
        ALTER TABLE act ADD CONSTRAINT act_ids_in_council
            CHECK (starts_with(id, council_id || '/') AND starts_with(session_id, council_id || '/'));
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'event_refs_in_council'
                   AND conrelid = 'event'::regclass) THEN
        ALTER TABLE event ADD CONSTRAINT event_refs_in_council
            CHECK ((act_id IS NULL OR starts_with(act_id, council_id || '/'))
               AND (session_id IS NULL OR starts_with(session_id, council_id || '/')));
    END IF;
END
$$;

-- Who wrote each event, as the database saw it. `db_role` is session_user, set by the database
-- whatever the client sends (outside the hash). And a clerk's event must name the clerk's login
-- role as its actor (inside the hash): a clerk cannot record a step in someone else's name.
ALTER TABLE event ADD COLUMN IF NOT EXISTS db_role name NOT NULL DEFAULT session_user;
SELECT set_config('delib.roles', :'clerk' || ',' || :'auditor', true);
DO $do$
DECLARE
    clerk name := split_part(current_setting('delib.roles'), ',', 1);
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION delib_event_db_role() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            NEW.db_role := session_user;
            IF pg_has_role(session_user, %L, 'MEMBER') AND NEW.actor IS DISTINCT FROM session_user::text THEN
                RAISE EXCEPTION 'délib: a clerk records events in their own name: actor %% is not your role %%',
                    NEW.actor, session_user USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $body$$f$, clerk);
END
$do$;
DROP TRIGGER IF EXISTS event_db_role ON event;
CREATE TRIGGER event_db_role BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION delib_event_db_role();
REVOKE UPDATE ON event FROM :"clerk";

-- A clerk's connection cannot sit in an open transaction holding locks: members of the clerk
-- group get idle_in_transaction_session_timeout and lock_timeout (run again after adding members).
SELECT set_config('delib.roles', :'clerk' || ',' || :'auditor', true);
DO $$
DECLARE
    clerk name := split_part(current_setting('delib.roles'), ',', 1);
    member record;
BEGIN
    FOR member IN
        SELECT r.rolname FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
        WHERE g.rolname = clerk
    LOOP
        EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', member.rolname, '30s');
        EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', member.rolname, '10s');
    END LOOP;
END
$$;

COMMIT;
