-- Least privilege. Whoever runs the migrations owns the tables; the service connects as another role
-- (fol_service, or a login role that is a member of it) with only what it needs: INSERT and SELECT
-- on every append-only table, full use of the working tables, nothing on the schema itself. Run again
-- after every migration (scripts/migrate.ts), so new tables are covered; a no-op where the role is absent.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE OR REPLACE FUNCTION fol_grant_service_role(service name DEFAULT 'fol_service') RETURNS void LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service) THEN RETURN; END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', service);
  FOR t IN
    SELECT c.relname,
           EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgfoid = 'fol_append_only'::regproc) AS append_only
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  LOOP
    EXECUTE format('REVOKE ALL ON TABLE %I FROM %I', t.relname, service);
    IF t.relname = '_prisma_migrations' THEN
      EXECUTE format('GRANT SELECT ON TABLE %I TO %I', t.relname, service);
    ELSIF t.append_only THEN
      EXECUTE format('GRANT SELECT, INSERT ON TABLE %I TO %I', t.relname, service);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I', t.relname, service);
    END IF;
  END LOOP;
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', service);
  -- BullMQ's PostgreSQL backend, installed by the same migration step. Its schema carries queue
  -- transport only, never evidence; BullMQ creates a job-id sequence there for each new queue.
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'bullmq') THEN
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA bullmq TO %I', service);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA bullmq TO %I', service);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA bullmq TO %I', service);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bullmq TO %I', service);
  END IF;
END;
$$;


-- Operations and the seizures tagged to them make the tally a manager reports from: tags are only
-- ever added (by registration, by hand or by rule), so they are evidence too, append-only like the
-- exhibits, observables and arrests of the same component, and the service may only add them.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['Operation', 'OperationSeizure']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fol_append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
