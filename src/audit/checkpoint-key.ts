import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from '../lib/config.ts';
import { noteKey, parseVkey, signNote, vkeyOf, type TNoteKey } from './signed-note.ts';

export type TSigner = { key: TNoteKey; vkey: string; sign(text: string): string };

/** A key file the operator must fix: printed as one sentence at start-up. */
export class KeyFileError extends StartupError {}

/**
 * The checkpoint signing key: an Ed25519 key in a file the database never sees, readable by its
 * owner only (0600; anything looser is refused). Created on first use, with its public half written
 * beside it as a verifier key, to hand to auditors.
 */
export function loadOrCreateSigner(keyFile: string, publicKeyFile: string, name: string): TSigner {
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
    }
  }
  const mode = statSync(keyFile).mode & 0o777;
  if (mode & 0o077) throw new KeyFileError(`${keyFile} is readable by others (mode ${mode.toString(8)}): chmod 600 it, or use a new key`);
  const privateKey = createPrivateKey(readFileSync(keyFile));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${keyFile} is not an Ed25519 key`);
  const key = noteKey(name, createPublicKey(privateKey));
  const vkey = vkeyOf(key);
  if (!existsSync(publicKeyFile) || readFileSync(publicKeyFile, 'utf8').trim() !== vkey) {
    mkdirSync(path.dirname(publicKeyFile), { recursive: true });
    writeFileSync(publicKeyFile, `${vkey}\n`, { mode: 0o644 });
  }
  return { key, vkey, sign: (text) => signNote(text, name, privateKey as KeyObject) };
}

/** The verifier key from a file (a vkey line, as written next to the signing key). */
export function readVerifierKey(file: string): TNoteKey {
  return parseVkey(readFileSync(file, 'utf8'));
}

/**
 * The verifier key the service checks checkpoints with: the public key file, or else the public half
 * of the signing key when this machine holds it. Null when neither is here (an API-only machine
 * without AUDIT_PUBLIC_KEY_FILE): checkpoints are then reported as unchecked, never as good.
 */
export function verifierKeyFor(paths: { keyFile: string; publicKeyFile: string }, name: string): TNoteKey | null {
  if (existsSync(paths.publicKeyFile)) return readVerifierKey(paths.publicKeyFile);
  if (existsSync(paths.keyFile)) return noteKey(name, createPublicKey(createPrivateKey(readFileSync(paths.keyFile))));
  return null;
}
