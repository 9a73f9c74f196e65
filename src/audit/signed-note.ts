import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed-note (c2sp.org/signed-note), Ed25519 only: a text ending in a newline, a blank line,
 * then signature lines "— <key name> base64(key ID || signature)". A verifier key ("vkey") is
 * "<name>+<hex key ID>+base64(0x01 || public key)".
 */

const ED25519 = 0x01;
const DASH = '\u2014 ';

export type TNoteKey = { name: string; keyId: Buffer; publicKey: KeyObject; raw: Buffer };

/** SHA-256(name || "\n" || 0x01 || public key)[:4]. */
export function keyIdOf(name: string, raw: Buffer): Buffer {
  return createHash('sha256').update(name).update('\n').update(Buffer.from([ED25519])).update(raw).digest().subarray(0, 4);
}

export function noteKey(name: string, publicKey: KeyObject): TNoteKey {
  if (!name || /[\s+]/u.test(name)) throw new Error(`a key name must be non-empty, without spaces or "+": ${JSON.stringify(name)}`);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { name, keyId: keyIdOf(name, raw), publicKey, raw };
}

export const vkeyOf = (k: TNoteKey) => `${k.name}+${k.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), k.raw]).toString('base64')}`;

/** Reads a verifier key; throws on anything malformed or not Ed25519. */
export function parseVkey(text: string): TNoteKey {
  // Names hold no "+", key IDs are hex; the base64 key may hold "+" of its own.
  const [name, id, key] = text.trim().match(/^([^+]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/]+=*)$/)?.slice(1) ?? [];
  const material = Buffer.from(key ?? '', 'base64');
  if (!name || !id || material.length !== 33 || material[0] !== ED25519) throw new Error('not an Ed25519 verifier key (name+keyid+base64 key)');
  const raw = material.subarray(1);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  const k = noteKey(name, publicKey);
  if (k.keyId.toString('hex') !== id.toLowerCase()) throw new Error('the verifier key ID does not match its name and key');
  return k;
}

/** Signs `text` (which must end in a newline) as a note. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  if (!text.endsWith('\n')) throw new Error('a note text ends in a newline');
  const k = noteKey(name, createPublicKey(privateKey));
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${text}\n${DASH}${name} ${Buffer.concat([k.keyId, signature]).toString('base64')}\n`;
}

/**
 * The note's text if `key` signed it, else null. Signatures by other keys are ignored, as the spec
 * requires; a note without a valid signature by `key` is rejected.
 */
export function openNote(note: string, key: TNoteKey): string | null {
  // The text ends at the last blank line; control characters other than newline are not allowed.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note) || !note.endsWith('\n')) return null;
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let valid = false;
  for (const line of lines) {
    if (!line.startsWith(DASH)) return null;
    const [name, b64, ...rest] = line.slice(DASH.length).split(' ');
    const sig = Buffer.from(b64 ?? '', 'base64');
    if (rest.length || sig.length < 5) return null;
    if (name !== key.name || !sig.subarray(0, 4).equals(key.keyId)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), key.publicKey, sig.subarray(4))) return null;
    valid = true;
  }
  return valid ? text : null;
}
