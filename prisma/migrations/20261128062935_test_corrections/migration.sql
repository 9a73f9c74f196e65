-- AlterTable
ALTER TABLE "Test" ADD COLUMN     "correctionReason" TEXT,
ADD COLUMN     "correctsTestId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Test_correctsTestId_key" ON "Test"("correctsTestId");
