-- fol-triage on a lab's own PostgreSQL server (13 or newer): two roles instead of one.
--
--   fol_owner    owns the tables; used only to migrate (DATABASE_OWNER_URL)
--   fol_service  what the service connects as (DATABASE_URL): INSERT and SELECT on every
--                append-only evidence table, full use of the working tables, no right to alter a
--                table, drop or disable a trigger, set session_replication_role, or create anything
--                in the application's schema; not a superuser
--
-- Run once as a superuser, choosing two long random passwords:
--   psql -h db.lab -U postgres -v owner_password='…' -v service_password='…' -f docs/database-roles.sql
-- then give the service
--   DATABASE_OWNER_URL=postgresql://fol_owner:<owner password>@db.lab:5432/fol
--   DATABASE_URL=postgresql://fol_service:<service password>@db.lab:5432/fol
-- and migrate (`npm run db:migrate`, or start the service with DATABASE_OWNER_URL set). The table
-- rights of fol_service are granted by the migrations themselves (fol_grant_service_role), again
-- after every migration, so new tables are covered. Without DATABASE_OWNER_URL the service never
-- migrates: it refuses to start while a migration is pending.
--
-- The embedded PostgreSQL of `npm start` does all of this by itself, with random passwords kept in
-- db-credentials.json (mode 0600) beside its data folder.

CREATE ROLE fol_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE fol_service LOGIN PASSWORD :'service_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE fol OWNER fol_owner ENCODING 'UTF8' TEMPLATE template0;

\connect fol
-- Only the owner creates objects in the application's schema (PostgreSQL 15 and later start so; on
-- older servers the schema belongs to the superuser and anyone may create in it).
ALTER SCHEMA public OWNER TO fol_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- session_replication_role (which silences triggers) may be set only by superusers: grant nobody
-- SET on it. Triggers can be disabled or dropped only by the table owner, fol_owner.

-- A login of your own naming can act as the service by membership, e.g.:
--   CREATE ROLE lab_fol_app LOGIN PASSWORD '…' IN ROLE fol_service;
-- To check the result, connect as fol_service and try:
--   SET session_replication_role = replica;          -- ERROR: permission denied to set parameter
--   UPDATE "AuditEntry" SET action = action;         -- ERROR: permission denied for table AuditEntry
--   ALTER TABLE "AuditEntry" DISABLE TRIGGER ALL;    -- ERROR: must be owner of table AuditEntry
