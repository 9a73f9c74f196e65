import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env and `env()` throws when a variable is unset: `generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/fol' },
});
