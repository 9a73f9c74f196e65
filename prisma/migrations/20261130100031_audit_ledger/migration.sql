-- Evidence ledger v2. Audit entries no longer queue on one lock to join one chain: writers only insert
-- what happened, and a single sealer gives every committed entry its place in the global log
-- (AuditLeaf) and Merkle tree (RFC 6962), with its hash in its record's chain; tree heads are signed
-- as checkpoints. Existing entries keep every stored value: "seq" is renamed "id" (their hashes cover
-- that number), they stay hashing format 1, and they are sealed below as the first leaves, in order.

-- AlterTable (hand-written: a rename keeps the old numbers, which the old hashes cover)
ALTER TABLE "AuditEntry" RENAME COLUMN "seq" TO "id";
CREATE SEQUENCE "AuditEntry_id_seq" OWNED BY "AuditEntry"."id";
SELECT setval('"AuditEntry_id_seq"', COALESCE((SELECT max("id") FROM "AuditEntry"), 0) + 1, false);
ALTER TABLE "AuditEntry" ALTER COLUMN "id" SET DEFAULT nextval('"AuditEntry_id_seq"');
-- A constant default is kept in the catalogue, not written into the rows: old entries read 1.
ALTER TABLE "AuditEntry" ADD COLUMN "v" SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE "AuditEntry" ALTER COLUMN "v" SET DEFAULT 2;
-- New entries are hashed by the sealer, into AuditLeaf.
ALTER TABLE "AuditEntry" ALTER COLUMN "prevHash" DROP NOT NULL,
ALTER COLUMN "hash" DROP NOT NULL,
ADD COLUMN "txid" BIGINT;
ALTER TABLE "AuditEntry" ALTER COLUMN "txid" SET DEFAULT ((pg_current_xact_id())::text)::bigint;

-- CreateTable
CREATE TABLE "AuditLeaf" (
    "seq" BIGINT NOT NULL,
    "entryId" BIGINT NOT NULL,
    "chainType" TEXT,
    "chainId" TEXT,
    "chainSeq" INTEGER,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "leafHash" TEXT NOT NULL,
    "sealedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditLeaf_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AuditNode" (
    "level" SMALLINT NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditNode_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "AuditTreeHead" (
    "size" BIGINT NOT NULL,
    "rootHash" TEXT NOT NULL,
    "sealedAt" TIMESTAMP(3) NOT NULL,
    "frontier" BIGINT NOT NULL,

    CONSTRAINT "AuditTreeHead_pkey" PRIMARY KEY ("size")
);

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "number" INTEGER NOT NULL,
    "treeSize" BIGINT NOT NULL,
    "rootHash" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "keyName" TEXT NOT NULL,
    "note" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("number")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditLeaf_entryId_key" ON "AuditLeaf"("entryId");

-- CreateIndex
CREATE INDEX "AuditEntry_txid_idx" ON "AuditEntry"("txid");

-- CreateIndex
CREATE UNIQUE INDEX "AuditLeaf_chainType_chainId_chainSeq_key" ON "AuditLeaf"("chainType", "chainId", "chainSeq");

-- AddForeignKey
ALTER TABLE "AuditLeaf" ADD CONSTRAINT "AuditLeaf_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "AuditEntry"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- The new tables are evidence too: append-only, like the entries they seal.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['AuditLeaf', 'AuditNode', 'AuditTreeHead', 'AuditCheckpoint']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fol_append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION fol_append_only()', t || '_no_truncate', t);
  END LOOP;
END;
$$;

-- Seal the existing entries: leaf i is the entry whose old seq was i + 1, with the hashes it was
-- written with; leaf hash SHA-256(0x00 || entry hash). A stored hash that is not 64 hex digits (only
-- tampering makes one) is taken as text, so the migration never stops on it: the verifier reports it.
INSERT INTO "AuditLeaf" ("seq", "entryId", "prevHash", "hash", "leafHash", "sealedAt")
SELECT row_number() OVER (ORDER BY "id"), "id", "prevHash", "hash",
       encode(sha256('\x00'::bytea || CASE WHEN "hash" ~ '^[0-9a-f]{64}$' THEN decode("hash", 'hex') ELSE convert_to("hash", 'UTF8') END), 'hex'),
       now()
FROM "AuditEntry" ORDER BY "id";

-- Their perfect subtrees, level by level, and the tree head (RFC 6962 MTH, folded from the right edge).
DO $$
DECLARE
  n bigint;
  lvl int := 1;
  made bigint;
  r bytea;
  h bytea;
BEGIN
  SELECT count(*) INTO n FROM "AuditLeaf";
  IF n = 0 THEN RETURN; END IF;
  INSERT INTO "AuditNode" ("level", "idx", "hash")
  SELECT 1, (a."seq" - 1) / 2, encode(sha256('\x01'::bytea || decode(a."leafHash", 'hex') || decode(b."leafHash", 'hex')), 'hex')
  FROM "AuditLeaf" a JOIN "AuditLeaf" b ON b."seq" = a."seq" + 1 WHERE a."seq" % 2 = 1;
  GET DIAGNOSTICS made = ROW_COUNT;
  WHILE made >= 2 LOOP
    lvl := lvl + 1;
    INSERT INTO "AuditNode" ("level", "idx", "hash")
    SELECT lvl, a."idx" / 2, encode(sha256('\x01'::bytea || decode(a."hash", 'hex') || decode(b."hash", 'hex')), 'hex')
    FROM "AuditNode" a JOIN "AuditNode" b ON b."level" = a."level" AND b."idx" = a."idx" + 1
    WHERE a."level" = lvl - 1 AND a."idx" % 2 = 0;
    GET DIAGNOSTICS made = ROW_COUNT;
  END LOOP;
  -- The right edge, smallest subtree first: one perfect subtree per set bit of n.
  FOR lvl IN 0..62 LOOP
    CONTINUE WHEN (n >> lvl) & 1 = 0;
    IF lvl = 0 THEN
      SELECT decode("leafHash", 'hex') INTO h FROM "AuditLeaf" WHERE "seq" = n;
    ELSE
      SELECT decode("hash", 'hex') INTO h FROM "AuditNode" WHERE "level" = lvl AND "idx" = (n >> lvl) - 1;
    END IF;
    r := CASE WHEN r IS NULL THEN h ELSE sha256('\x01'::bytea || h || r) END;
  END LOOP;
  INSERT INTO "AuditTreeHead" ("size", "rootHash", "sealedAt", "frontier") VALUES (n, encode(r, 'hex'), now(), 0);
END;
$$;
