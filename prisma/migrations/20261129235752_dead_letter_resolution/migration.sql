-- AlterTable
ALTER TABLE "DeadLetter" ADD COLUMN     "resolution" TEXT,
ADD COLUMN     "resolvedById" UUID;

-- CreateIndex
CREATE INDEX "DeadLetter_sampleId_idx" ON "DeadLetter"("sampleId");
