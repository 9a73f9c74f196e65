-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Conveyance" AS ENUM ('PASSENGER_VEHICLE', 'COMMERCIAL_TRUCK', 'PEDESTRIAN', 'BUS', 'RAIL', 'AIR', 'MAIL', 'EXPRESS_CONSIGNMENT', 'OTHER');

-- CreateEnum
CREATE TYPE "SampleForm" AS ENUM ('POWDER', 'TABLET', 'CRYSTAL', 'LIQUID', 'PLANT', 'RESIDUE', 'OTHER');

-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('ROUTINE', 'PRIORITY', 'URGENT');

-- CreateEnum
CREATE TYPE "SampleStatus" AS ENUM ('REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'ROUTED', 'NEEDS_ATTENTION');

-- CreateEnum
CREATE TYPE "TestOutcome" AS ENUM ('POSITIVE', 'NEGATIVE', 'INCONCLUSIVE');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabledAt" TIMESTAMP(3),
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Port" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "dutyInvestigatorId" UUID,

    CONSTRAINT "Port_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Seizure" (
    "id" UUID NOT NULL,
    "seizureNumber" TEXT NOT NULL,
    "portCode" TEXT NOT NULL,
    "seizedAt" TIMESTAMP(3) NOT NULL,
    "conveyance" "Conveyance",
    "subjectInCustody" BOOLEAN NOT NULL,
    "controlledDeliveryPending" BOOLEAN NOT NULL DEFAULT false,
    "narrative" TEXT,
    "caseId" UUID,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Seizure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sample" (
    "id" UUID NOT NULL,
    "barcode" TEXT NOT NULL,
    "seizureId" UUID NOT NULL,
    "portCode" TEXT NOT NULL,
    "itemNumber" INTEGER NOT NULL,
    "form" "SampleForm" NOT NULL,
    "description" TEXT NOT NULL,
    "grossWeightG" DOUBLE PRECISION NOT NULL,
    "netWeightG" DOUBLE PRECISION,
    "netWeightUncertaintyG" DOUBLE PRECISION,
    "unitCount" INTEGER,
    "markings" TEXT,
    "color" TEXT,
    "sealNumber" TEXT NOT NULL,
    "priority" "Priority" NOT NULL,
    "status" "SampleStatus" NOT NULL DEFAULT 'REGISTERED',
    "statusBeforeAttention" "SampleStatus",
    "registeredById" UUID NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "firstTestAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "routedAt" TIMESTAMP(3),
    "caseId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SampleEvent" (
    "id" BIGSERIAL NOT NULL,
    "sampleId" UUID NOT NULL,
    "status" "SampleStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byId" UUID,
    "note" TEXT,

    CONSTRAINT "SampleEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Test" (
    "id" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "technique" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "outcome" "TestOutcome" NOT NULL,
    "substanceId" TEXT,
    "substanceText" TEXT,
    "hits" JSONB,
    "samplingId" TEXT NOT NULL DEFAULT 'S1',
    "reagent" TEXT,
    "observedColor" TEXT,
    "dataRef" TEXT,
    "instrument" TEXT,
    "performedAt" TIMESTAMP(3) NOT NULL,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Test_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Classification" (
    "id" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "testCount" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "components" JSONB NOT NULL,
    "thresholds" JSONB NOT NULL,
    "warnings" JSONB NOT NULL,
    "rationale" JSONB NOT NULL,
    "rulesVersion" TEXT NOT NULL,
    "classifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Classification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "reviewerId" UUID NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "classificationVersion" INTEGER NOT NULL,
    "signatureMeaning" TEXT NOT NULL,
    "reviewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustodyEvent" (
    "id" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "fromUserId" UUID,
    "toUserId" UUID,
    "location" TEXT,
    "sealNumber" TEXT,
    "sealIntact" BOOLEAN,
    "weightG" DOUBLE PRECISION,
    "witnessId" UUID,
    "note" TEXT,
    "recordedById" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustodyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL,
    "caseNumber" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "assigneeId" UUID,
    "portCode" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" BIGSERIAL NOT NULL,
    "caseId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byId" UUID,
    "data" JSONB,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseCounter" (
    "portCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,

    CONSTRAINT "CaseCounter_pkey" PRIMARY KEY ("portCode","year")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "recipientId" UUID NOT NULL,
    "sampleId" UUID,
    "caseId" UUID,
    "title" TEXT NOT NULL,
    "body" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedUntil" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" UUID NOT NULL,
    "jobId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "sampleId" UUID,
    "failedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "userId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("userId","key","route")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" UUID,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Seizure_seizureNumber_key" ON "Seizure"("seizureNumber");

-- CreateIndex
CREATE INDEX "Seizure_portCode_seizedAt_idx" ON "Seizure"("portCode", "seizedAt");

-- CreateIndex
CREATE INDEX "Seizure_caseId_idx" ON "Seizure"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Sample_barcode_key" ON "Sample"("barcode");

-- CreateIndex
CREATE INDEX "Sample_status_priority_dueAt_idx" ON "Sample"("status", "priority", "dueAt");

-- CreateIndex
CREATE INDEX "Sample_portCode_registeredAt_idx" ON "Sample"("portCode", "registeredAt");

-- CreateIndex
CREATE INDEX "Sample_caseId_idx" ON "Sample"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Sample_seizureId_itemNumber_key" ON "Sample"("seizureId", "itemNumber");

-- CreateIndex
CREATE INDEX "SampleEvent_sampleId_at_idx" ON "SampleEvent"("sampleId", "at");

-- CreateIndex
CREATE INDEX "Test_sampleId_recordedAt_idx" ON "Test"("sampleId", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Classification_sampleId_version_key" ON "Classification"("sampleId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Classification_sampleId_testCount_key" ON "Classification"("sampleId", "testCount");

-- CreateIndex
CREATE INDEX "Review_sampleId_reviewedAt_idx" ON "Review"("sampleId", "reviewedAt");

-- CreateIndex
CREATE INDEX "CustodyEvent_sampleId_at_idx" ON "CustodyEvent"("sampleId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Case_caseNumber_key" ON "Case"("caseNumber");

-- CreateIndex
CREATE INDEX "Case_assigneeId_idx" ON "Case"("assigneeId");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_at_idx" ON "CaseEvent"("caseId", "at");

-- CreateIndex
CREATE INDEX "Notification_recipientId_createdAt_idx" ON "Notification"("recipientId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_type_sampleId_recipientId_key" ON "Notification"("type", "sampleId", "recipientId");

-- CreateIndex
CREATE INDEX "OutboxMessage_publishedAt_createdAt_idx" ON "OutboxMessage"("publishedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeadLetter_jobId_key" ON "DeadLetter"("jobId");

-- CreateIndex
CREATE INDEX "AuditEntry_entityType_entityId_idx" ON "AuditEntry"("entityType", "entityId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sample" ADD CONSTRAINT "Sample_seizureId_fkey" FOREIGN KEY ("seizureId") REFERENCES "Seizure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SampleEvent" ADD CONSTRAINT "SampleEvent_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Test" ADD CONSTRAINT "Test_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Classification" ADD CONSTRAINT "Classification_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
