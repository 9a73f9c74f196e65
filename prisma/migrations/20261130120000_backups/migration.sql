-- CreateTable
CREATE TABLE "Backup" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL,
    "path" TEXT NOT NULL,
    "bytes" BIGINT,
    "files" INTEGER,
    "manifestSha256" TEXT,
    "backupMs" INTEGER,
    "verifyMs" INTEGER,
    "auditEntries" INTEGER,
    "auditHeadSeq" BIGINT,
    "samples" INTEGER,
    "error" TEXT,

    CONSTRAINT "Backup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Backup_startedAt_idx" ON "Backup"("startedAt");
