-- AlterTable
ALTER TABLE "Seizure" ADD COLUMN     "relateRequestedAt" TIMESTAMP(3),
ADD COLUMN     "relatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Sample" ADD COLUMN     "exhibitId" UUID;

-- AlterTable
ALTER TABLE "Test" ADD COLUMN     "purityPct" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Exhibit" (
    "id" UUID NOT NULL,
    "seizureId" UUID NOT NULL,
    "exhibitNumber" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unitCount" INTEGER,
    "netWeightKg" DOUBLE PRECISION,
    "packaging" TEXT,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Exhibit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observable" (
    "id" UUID NOT NULL,
    "seizureId" UUID NOT NULL,
    "sampleId" UUID,
    "kind" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "valid" BOOLEAN,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Observable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChemicalProfile" (
    "sampleId" UUID NOT NULL,
    "seizureId" UUID NOT NULL,
    "profileKey" TEXT NOT NULL,
    "controlled" TEXT[],
    "adulterants" TEXT[],
    "cuttingAgents" TEXT[],
    "purityPct" DOUBLE PRECISION,
    "basis" TEXT NOT NULL,
    "classificationVersion" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChemicalProfile_pkey" PRIMARY KEY ("sampleId")
);

-- CreateTable
CREATE TABLE "SeizureLink" (
    "id" UUID NOT NULL,
    "seizureAId" UUID NOT NULL,
    "seizureBId" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SUGGESTED',
    "dismissedScore" DOUBLE PRECISION,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "note" TEXT,
    "weightsVersion" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "deconflictedAt" TIMESTAMP(3),

    CONSTRAINT "SeizureLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operation" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE,
    "portCodes" TEXT[],
    "description" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperationSeizure" (
    "operationId" UUID NOT NULL,
    "seizureId" UUID NOT NULL,
    "taggedBy" TEXT NOT NULL,
    "taggedById" UUID,
    "taggedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OperationSeizure_pkey" PRIMARY KEY ("operationId","seizureId")
);

-- CreateTable
CREATE TABLE "Arrest" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Arrest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManifestImport" (
    "id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "rows" JSONB,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "seizureIds" TEXT[],
    "sampleIds" TEXT[],
    "error" TEXT,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ManifestImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Exhibit_seizureId_exhibitNumber_key" ON "Exhibit"("seizureId", "exhibitNumber");

-- CreateIndex
CREATE INDEX "Observable_kind_normalized_seizureId_idx" ON "Observable"("kind", "normalized", "seizureId");

-- CreateIndex
CREATE UNIQUE INDEX "Observable_seizureId_kind_normalized_key" ON "Observable"("seizureId", "kind", "normalized");

-- CreateIndex
CREATE INDEX "ChemicalProfile_profileKey_seizureId_idx" ON "ChemicalProfile"("profileKey", "seizureId");

-- CreateIndex
CREATE INDEX "ChemicalProfile_seizureId_idx" ON "ChemicalProfile"("seizureId");

-- CreateIndex
CREATE INDEX "SeizureLink_seizureBId_idx" ON "SeizureLink"("seizureBId");

-- CreateIndex
CREATE UNIQUE INDEX "SeizureLink_seizureAId_seizureBId_key" ON "SeizureLink"("seizureAId", "seizureBId");

-- CreateIndex
CREATE UNIQUE INDEX "Operation_name_key" ON "Operation"("name");

-- CreateIndex
CREATE INDEX "OperationSeizure_seizureId_idx" ON "OperationSeizure"("seizureId");

-- CreateIndex
CREATE INDEX "Arrest_caseId_at_idx" ON "Arrest"("caseId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ManifestImport_sha256_key" ON "ManifestImport"("sha256");

-- AddForeignKey
ALTER TABLE "Exhibit" ADD CONSTRAINT "Exhibit_seizureId_fkey" FOREIGN KEY ("seizureId") REFERENCES "Seizure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observable" ADD CONSTRAINT "Observable_seizureId_fkey" FOREIGN KEY ("seizureId") REFERENCES "Seizure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperationSeizure" ADD CONSTRAINT "OperationSeizure_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "Operation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Similar names (people, organisations) are found through pg_trgm's GIN index, never a scan. The
-- extension ships with PostgreSQL's contrib (the embedded build and Debian's carry it) and is trusted
-- since PostgreSQL 13, so a database owner without superuser rights may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Observable_name_trgm_idx" ON "Observable" USING gin ("normalized" gin_trgm_ops)
  WHERE kind IN ('PERSON', 'ORGANIZATION');

-- Observables, exhibits and arrests are evidence: append-only like tests and custody events.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['Observable', 'Exhibit', 'Arrest']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fol_append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only()', t || '_no_truncate', t);
  END LOOP;
END;
$$;

-- The sweeper looks for rescoring asked for and never done: only those rows are indexed.
CREATE INDEX "Seizure_relate_pending_idx" ON "Seizure" ("relateRequestedAt")
  WHERE "relatedAt" IS NULL OR "relatedAt" < "relateRequestedAt";
