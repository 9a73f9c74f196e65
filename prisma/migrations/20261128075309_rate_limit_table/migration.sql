-- The sign-in rate limits' table (rate-limiter-flexible) belongs to the schema: the application's
-- database role need not be allowed to create tables. Installations where the limiter already created
-- it at run time keep theirs (same columns).
CREATE TABLE IF NOT EXISTS "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);
