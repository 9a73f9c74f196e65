import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText, parseCheckpoint } from '../../src/audit/checkpoint-file.ts';
import { noteKey, openNote, parseVkey, signNote, vkeyOf } from '../../src/audit/signed-note.ts';

// The example of C2SP signed-note v1.0.0 (c2sp.org/signed-note, "Verifier keys").
const VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('C2SP signed notes', () => {
  it('when the published example is opened with its verifier key, then its text comes out', () => {
    expect(openNote(NOTE, parseVkey(VKEY))).toBe('This is an example message.\n');
    expect(vkeyOf(parseVkey(VKEY))).toBe(VKEY);
  });

  it.each([
    ['its text is changed', NOTE.replace('example message', 'example massage')],
    ['the signature is changed', NOTE.replace('Uw2QOkn8', 'Uw2QOkn9')],
    ['the signature line is missing', 'This is an example message.\n'],
    ['it holds a control character', NOTE.replace('This', 'Th\u0007is')],
    ['only another key signed it', NOTE.replace('example.com/foo Uw', 'example.com/bar Uw')],
  ])('when %s, then it is refused', (_, note) => {
    expect(openNote(note, parseVkey(VKEY))).toBeNull();
  });

  it('when a verifier key is malformed or its ID does not match, then it is refused', () => {
    expect(() => parseVkey(VKEY.replace('530d903a', '530d903b'))).toThrow(/does not match/);
    expect(() => parseVkey('example.com/foo+530d903a')).toThrow();
    expect(() => parseVkey(VKEY.replace('+Ae', '+Ax'))).toThrow();
  });

  it('when notes are signed with fresh keys (whose base64 may hold "+"), then they open with the exported verifier key only', () => {
    let sawPlus = false;
    for (let i = 0; i < 40; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const vkey = vkeyOf(noteKey('lab.example/audit', publicKey));
      sawPlus ||= vkey.split('+').length > 3;
      const note = signNote('hello\nworld\n', 'lab.example/audit', privateKey);
      expect(openNote(note, parseVkey(vkey))).toBe('hello\nworld\n');
    }
    expect(sawPlus).toBe(true);
  });

  // Size and root of the example in C2SP tlog-checkpoint v1.0.0.
  it('when a checkpoint is signed, then it reads back as C2SP tlog-checkpoint text with its number and time', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const body = { origin: 'fol-triage/lab', treeSize: 20852163, rootHash: '0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62', number: 7, time: '2026-11-29T10:00:00.000Z' };
    const text = checkpointText(body);
    expect(text).toBe('fol-triage/lab\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ncheckpoint 7\ntime 2026-11-29T10:00:00.000Z\n');
    const note = signNote(text, 'fol-triage/lab', privateKey);
    expect(parseCheckpoint(note, noteKey('fol-triage/lab', publicKey))).toEqual({ ...body, note });
    expect(parseCheckpoint(note.replace('20852163', '20852164'), noteKey('fol-triage/lab', publicKey))).toBeNull();
  });
});
