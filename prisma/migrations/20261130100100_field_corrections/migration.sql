-- DropIndex
DROP INDEX "Classification_sampleId_testCount_key";

-- AlterTable
ALTER TABLE "Sample" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Classification" ADD COLUMN     "sampleRevision" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "FieldCorrection" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT NOT NULL,
    "statusAt" TEXT,
    "correctedById" UUID NOT NULL,
    "correctedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FieldCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FieldCorrection_entityType_entityId_correctedAt_idx" ON "FieldCorrection"("entityType", "entityId", "correctedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Classification_sampleId_testCount_sampleRevision_key" ON "Classification"("sampleId", "testCount", "sampleRevision");

-- A correction is evidence of what changed, and why: the database refuses to change or remove one
-- (the same guard as the other append-only tables, migration append_only).
CREATE TRIGGER "FieldCorrection_append_only" BEFORE UPDATE OR DELETE ON "FieldCorrection" FOR EACH ROW EXECUTE FUNCTION fol_append_only();
CREATE TRIGGER "FieldCorrection_no_truncate" BEFORE TRUNCATE ON "FieldCorrection" FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only();
