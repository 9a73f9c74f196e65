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

/** A unique key refused the row: it already exists, or another writer won. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * The SQLSTATE behind a Prisma error, when the database refused the statement. With the pg driver
 * adapter it travels in `meta.driverAdapterError.cause.originalCode` (any Prisma code: P2007, P2010,
 * P2039…); a raw query may also carry it as `meta.code`.
 */
export function sqlState(err: unknown): string | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const meta = err.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Prisma's own codes for a value the column cannot take (too long, out of range, malformed). */
const PRISMA_INPUT_CODES = ['P2000', 'P2006', 'P2007', 'P2019', 'P2020', 'P2023', 'P2033'];

/**
 * A value that the database cannot store or compare: SQLSTATE class 22 ("data exception": 22P02
 * malformed uuid or number, 22P05 untranslatable character, 22021 NUL byte, 22008 date out of range,
 * 22003 numeric out of range, 22001 too long…), or Prisma's own refusal of such a value.
 */
export function isDatabaseInputError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('22');
  return err instanceof Prisma.PrismaClientKnownRequestError && PRISMA_INPUT_CODES.includes(err.code);
}
