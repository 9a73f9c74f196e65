-- AlterTable
ALTER TABLE "Sample" ADD COLUMN     "category" TEXT,
ADD COLUMN     "level" TEXT;

-- CreateIndex
CREATE INDEX "Seizure_seizedAt_idx" ON "Seizure"("seizedAt");

-- The reports read a period of history through index-only scans: every column they use is in the
-- index, so a million-sample table is never visited row by row.
CREATE INDEX "Sample_released_report_idx" ON "Sample" ("releasedAt")
  INCLUDE ("registeredAt", "queuedAt", "firstTestAt", "submittedAt", "routedAt", "dueAt", "portCode", priority, form, category)
  WHERE "releasedAt" IS NOT NULL;
CREATE INDEX "Sample_registered_report_idx" ON "Sample" ("registeredAt") INCLUDE ("portCode", category, "netWeightG");

-- Open samples are few next to the history: the backlog report and the SLA clock read them through
-- a partial index instead of scanning every sample ever registered.
CREATE INDEX "Sample_open_idx" ON "Sample" ("registeredAt") INCLUDE (status, "dueAt", priority, "portCode") WHERE status NOT IN ('RELEASED', 'ROUTED');

-- Backfill the headline of samples classified before this column existed.
UPDATE "Sample" s SET category = c.category, level = c.level
FROM (SELECT DISTINCT ON ("sampleId") "sampleId", category, level FROM "Classification" ORDER BY "sampleId", version DESC) c
WHERE c."sampleId" = s.id;
