import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { serialiseTransactions } from './serial-transactions.ts';

export { Prisma };
export type Db = PrismaClient;
/** The client handed to a function running inside `db.$transaction`. */
export type Tx = Prisma.TransactionClient;

export function createDb(url: string, poolSize = 20): Db {
  return new PrismaClient({ adapter: serialiseTransactions(new PrismaPg({ connectionString: url, max: poolSize })) });
}

/** PostgreSQL error codes that mean "the row already exists" or "another writer won". */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
