-- CreateEnum
CREATE TYPE "FileKind" AS ENUM ('SPECTRUM', 'PHOTO', 'INSTRUMENT_REPORT', 'OTHER');

-- AlterTable
ALTER TABLE "Test" ADD COLUMN     "fileId" UUID,
ADD COLUMN     "hitsOrigin" TEXT,
ADD COLUMN     "spectralLibraryId" UUID,
ADD COLUMN     "spectralSearch" JSONB;

-- CreateTable
CREATE TABLE "FileBlob" (
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "mediaType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "storedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FileBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "SampleFile" (
    "id" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "kind" "FileKind" NOT NULL,
    "filename" TEXT NOT NULL,
    "uploadedById" UUID NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SampleFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpectralLibrary" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "recordCount" INTEGER NOT NULL,
    "linkedCount" INTEGER NOT NULL,
    "importedById" UUID,
    "importedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SpectralLibrary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpectralRecord" (
    "id" UUID NOT NULL,
    "libraryId" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "synonyms" TEXT[],
    "casNo" TEXT,
    "inchiKey" TEXT,
    "formula" TEXT,
    "mw" DOUBLE PRECISION,
    "sourceId" TEXT,
    "substanceId" TEXT,
    "mz" INTEGER[],
    "intensity" DOUBLE PRECISION[],

    CONSTRAINT "SpectralRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SampleFile_sampleId_uploadedAt_idx" ON "SampleFile"("sampleId", "uploadedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SampleFile_sampleId_sha256_key" ON "SampleFile"("sampleId", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "SpectralLibrary_sha256_key" ON "SpectralLibrary"("sha256");

-- CreateIndex
CREATE INDEX "SpectralLibrary_importedAt_idx" ON "SpectralLibrary"("importedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SpectralLibrary_name_version_key" ON "SpectralLibrary"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "SpectralRecord_libraryId_ordinal_key" ON "SpectralRecord"("libraryId", "ordinal");

-- AddForeignKey
ALTER TABLE "Test" ADD CONSTRAINT "Test_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "SampleFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Test" ADD CONSTRAINT "Test_spectralLibraryId_fkey" FOREIGN KEY ("spectralLibraryId") REFERENCES "SpectralLibrary"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SampleFile" ADD CONSTRAINT "SampleFile_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SampleFile" ADD CONSTRAINT "SampleFile_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "FileBlob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpectralLibrary" ADD CONSTRAINT "SpectralLibrary_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "FileBlob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpectralRecord" ADD CONSTRAINT "SpectralRecord_libraryId_fkey" FOREIGN KEY ("libraryId") REFERENCES "SpectralLibrary"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Content addressing is a property of the row, not a promise of the application: the database
-- refuses bytes whose SHA-256 or length differ from the key and size stored with them.
ALTER TABLE "FileBlob" ADD CONSTRAINT "FileBlob_content_address" CHECK ("sha256" = encode(sha256("bytes"), 'hex') AND "size" = octet_length("bytes"));
-- Photos and instrument files are mostly compressed already: store them out of line, uncompressed.
ALTER TABLE "FileBlob" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;

-- Files and reference libraries are evidence too (21 CFR 11.10(e); ISO/IEC 17025 7.5): the
-- application may add them, never change or remove them (fol_append_only, migration append_only).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['FileBlob', 'SampleFile', 'SpectralLibrary', 'SpectralRecord']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fol_append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only()', t || '_no_truncate', t);
  END LOOP;
END;
$$;
