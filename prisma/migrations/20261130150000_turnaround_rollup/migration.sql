-- The turnaround rollup (src/reports/turnaround-rollup.ts): per UTC day and per calendar month of
-- release, for each group a report can ask for, the count, the sum of hours, the releases later than
-- due and a log-bucket histogram of the durations. A year of turnaround then merges a few hundred
-- histograms instead of sorting half a million durations per stage.
--
-- A span (a day or a month) is covered only while it is built and no change to its samples has come
-- since: every change to a released sample's stage times, due date, port, priority, form or category
-- leaves a marker for its day(s) in the same transaction (triggers below, so no write path can miss
-- it). A refresh rebuilds the marked days and deletes exactly the markers it saw; the report reads the
-- rows of any span not covered from "Sample" itself.
CREATE TABLE "TatRollupSpan" (
    "grain" CHAR(1) NOT NULL,            -- 'd' a UTC day, 'm' a calendar month (UTC)
    "start" DATE NOT NULL,
    "method" TEXT NOT NULL,              -- the histogram's definition: spans built with another are not used
    "builtAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "TatRollupSpan_pkey" PRIMARY KEY ("grain", "start"),
    CONSTRAINT "TatRollupSpan_grain_check" CHECK ("grain" IN ('d', 'm'))
);

CREATE TABLE "TatRollupCell" (
    "grain" CHAR(1) NOT NULL,
    "start" DATE NOT NULL,
    "portCode" TEXT NOT NULL,            -- '*': every port
    "dim" TEXT NOT NULL,                 -- port | priority | form | category (total turnaround) or stage
    "key" TEXT NOT NULL,                 -- the group's value, or the stage's name
    "n" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "breached" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,             -- per bucket, ascending: zigzag varint of the key's step, varint of the count
    CONSTRAINT "TatRollupCell_pkey" PRIMARY KEY ("grain", "start", "portCode", "dim", "key")
);

-- A non-negative integer as a varint (7 bits a byte, low first; the high bit says another follows).
CREATE OR REPLACE FUNCTION fol_tat_varint(v bigint) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v < 128 THEN set_byte('\x00'::bytea, 0, v::int)
    WHEN v < 16384 THEN set_byte(set_byte('\x0000'::bytea, 0, (v & 127)::int | 128), 1, (v >> 7)::int)
    WHEN v < 2097152 THEN set_byte(set_byte(set_byte('\x000000'::bytea, 0, (v & 127)::int | 128), 1, ((v >> 7) & 127)::int | 128), 2, (v >> 14)::int)
    WHEN v < 268435456 THEN set_byte(set_byte(set_byte(set_byte('\x00000000'::bytea, 0, (v & 127)::int | 128), 1, ((v >> 7) & 127)::int | 128),
                                              2, ((v >> 14) & 127)::int | 128), 3, (v >> 21)::int)
    ELSE set_byte(set_byte(set_byte(set_byte(set_byte('\x0000000000'::bytea, 0, (v & 127)::int | 128), 1, ((v >> 7) & 127)::int | 128),
                                    2, ((v >> 14) & 127)::int | 128), 3, ((v >> 21) & 127)::int | 128), 4, (v >> 28)::int)
  END
$$;

CREATE TABLE "TatRollupStale" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    CONSTRAINT "TatRollupStale_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TatRollupStale_day_idx" ON "TatRollupStale" ("day");

-- One marker row per change, never an upsert: a hot day's marker would otherwise be one row that
-- every release in the lab locks until its commit.
CREATE OR REPLACE FUNCTION fol_tat_rollup_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."releasedAt" IS NOT NULL THEN
    INSERT INTO "TatRollupStale" ("day") VALUES (OLD."releasedAt"::date);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."releasedAt" IS NOT NULL AND NEW."releasedAt"::date IS DISTINCT FROM OLD."releasedAt"::date THEN
    INSERT INTO "TatRollupStale" ("day") VALUES (NEW."releasedAt"::date);
  END IF;
  RETURN NULL;
END;
$$;

-- Inserts are marked per statement: a bulk load of released history writes one marker per day.
CREATE OR REPLACE FUNCTION fol_tat_rollup_rows_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TatRollupStale" ("day") SELECT DISTINCT "releasedAt"::date FROM added WHERE "releasedAt" IS NOT NULL;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION fol_tat_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "TatRollupSpan";
  DELETE FROM "TatRollupCell";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Sample_tat_rollup_insert" AFTER INSERT ON "Sample"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION fol_tat_rollup_rows_added();

-- The WHEN clause is evaluated without calling the function: a status change of an open sample
-- (most updates) costs nothing here.
CREATE TRIGGER "Sample_tat_rollup_update" AFTER UPDATE ON "Sample" FOR EACH ROW
  WHEN ((OLD."releasedAt" IS NOT NULL OR NEW."releasedAt" IS NOT NULL) AND (
        OLD."releasedAt" IS DISTINCT FROM NEW."releasedAt" OR OLD."registeredAt" IS DISTINCT FROM NEW."registeredAt"
     OR OLD."queuedAt" IS DISTINCT FROM NEW."queuedAt" OR OLD."firstTestAt" IS DISTINCT FROM NEW."firstTestAt"
     OR OLD."submittedAt" IS DISTINCT FROM NEW."submittedAt" OR OLD."routedAt" IS DISTINCT FROM NEW."routedAt"
     OR OLD."dueAt" IS DISTINCT FROM NEW."dueAt" OR OLD."portCode" IS DISTINCT FROM NEW."portCode"
     OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.form IS DISTINCT FROM NEW.form
     OR OLD.category IS DISTINCT FROM NEW.category))
  EXECUTE FUNCTION fol_tat_rollup_row_changed();

CREATE TRIGGER "Sample_tat_rollup_delete" AFTER DELETE ON "Sample" FOR EACH ROW
  WHEN (OLD."releasedAt" IS NOT NULL) EXECUTE FUNCTION fol_tat_rollup_row_changed();

CREATE TRIGGER "Sample_tat_rollup_truncate" AFTER TRUNCATE ON "Sample" FOR EACH STATEMENT EXECUTE FUNCTION fol_tat_rollup_truncated();
