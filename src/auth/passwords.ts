import argon2 from 'argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): memory-hard, ~40 ms here.
 * The parameters are stored in each hash, so raising them later leaves old hashes verifiable.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password.normalize('NFKC'), OPTIONS);
}

/** Argon2 verifications made by this process: each costs the same, so equal counts mean equal time. */
export const passwordWork = { verifications: 0 };

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  passwordWork.verifications++;
  try {
    return await argon2.verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal emails. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password-for-timing');
  return dummy;
}
