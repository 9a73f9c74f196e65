-- Evidence is append-only (21 CFR 11.10(e); ISO/IEC 17025 7.5): the database itself refuses to
-- change or remove audit entries, custody events, test results, classifications, reviews and the
-- sample and case timelines. Corrections are new rows that reference the old ones.
CREATE OR REPLACE FUNCTION fol_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'append-only: % on "%" is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['AuditEntry', 'CustodyEvent', 'Test', 'Classification', 'Review', 'SampleEvent', 'CaseEvent']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fol_append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
