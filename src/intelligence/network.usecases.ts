import type { AuthUser } from '../auth/sessions.ts';
import type { Db } from '../lib/db.ts';
import { assertCanSeeCase } from '../samples/access.ts';
import { ownCaseIds } from './access.ts';
import { mayRead, otherOf, shownLinks, sidesOf } from './related.usecases.ts';
import type { TLinkWeights } from './weights.ts';

type TNode = { id: string; kind: 'SEIZURE' | 'RESTRICTED_SEIZURE' | 'OBSERVABLE' | 'CHEMICAL_PROFILE'; label: string; caseNumber?: string | null; portCode?: string };
type TEdge = { from: string; to: string; kind: 'RELATED' | 'OBSERVED' | 'PROFILE'; score: number | null; status: string | null };

/**
 * GET /cases/:id/network: the case's seizures, the seizures linked to them and theirs (two hops at
 * most), and the observables and chemical profiles they share. An investigator's graph stops at any
 * seizure outside their cases: it appears as one restricted node (case number, investigator, port)
 * and is never expanded, so nothing of the other case is drawn.
 */
export async function caseNetwork(db: Db, user: AuthUser, caseId: string, w: TLinkWeights) {
  const kase = await db.case.findUnique({ where: { id: caseId } });
  assertCanSeeCase(user, kase);
  const own = await ownCaseIds(db, user);
  const start = (await db.seizure.findMany({ where: { caseId }, select: { id: true } })).map((s) => s.id);
  const readable = new Set(start);
  const restricted = new Map<string, string>();
  const edges: TEdge[] = [];
  const seenLinks = new Set<string>();
  let frontier = start;
  for (let hop = 0; hop < 2 && frontier.length; hop++) {
    const links = (await shownLinks(db, frontier, w)).filter((l) => l.status !== 'DISMISSED' && !seenLinks.has(l.id));
    const sides = await sidesOf(db, links.flatMap((l) => [l.seizureAId, l.seizureBId]));
    const next: string[] = [];
    for (const l of links) {
      seenLinks.add(l.id);
      const from = frontier.includes(l.seizureAId) ? l.seizureAId : l.seizureBId;
      const to = otherOf(l, from);
      const other = sides.get(to)!;
      if (mayRead(own, other)) {
        if (!readable.has(to)) next.push(to);
        readable.add(to);
        edges.push({ from, to, kind: 'RELATED', score: l.score, status: l.status });
      } else {
        const node = `restricted-${restricted.size + 1}`;
        restricted.set(node, `Case ${other.caseNumber ?? '(none)'} · ${other.investigatorName ?? 'unassigned'} · port ${other.portCode}`);
        edges.push({ from, to: node, kind: 'RELATED', score: l.score, status: l.status });
      }
    }
    frontier = next;
  }
  const ids = [...readable];
  const sides = await sidesOf(db, ids);
  const nodes: TNode[] = ids.map((id) => {
    const s = sides.get(id)!;
    return { id, kind: 'SEIZURE', label: `${s.seizureNumber} · port ${s.portCode} · ${s.seizedAt.toISOString().slice(0, 10)}`, caseNumber: s.caseNumber, portCode: s.portCode };
  });
  for (const [id, label] of restricted) nodes.push({ id, kind: 'RESTRICTED_SEIZURE', label });

  // Shared observables and profiles among the readable seizures only.
  const obs = await db.observable.findMany({ where: { seizureId: { in: ids } }, select: { seizureId: true, kind: true, normalized: true } });
  addShared(nodes, edges, obs.map((o) => ({ seizureId: o.seizureId, key: `${o.kind}|${o.normalized}`, label: `${o.kind.toLowerCase().replaceAll('_', ' ')} ${o.normalized}` })), 'OBSERVABLE', 'OBSERVED');
  const profiles = await db.chemicalProfile.findMany({ where: { seizureId: { in: ids } }, select: { seizureId: true, profileKey: true } });
  addShared(nodes, edges, profiles.map((p) => ({ seizureId: p.seizureId, key: p.profileKey, label: p.profileKey.replaceAll('+', ' + ') })), 'CHEMICAL_PROFILE', 'PROFILE');
  return { caseId, caseNumber: kase.caseNumber, nodes, edges, weightsVersion: w.version };
}

function addShared(nodes: TNode[], edges: TEdge[], rows: { seizureId: string; key: string; label: string }[], kind: 'OBSERVABLE' | 'CHEMICAL_PROFILE', edgeKind: 'OBSERVED' | 'PROFILE'): void {
  const by = new Map<string, { label: string; seizures: Set<string> }>();
  for (const r of rows) {
    const e = by.get(r.key) ?? { label: r.label, seizures: new Set<string>() };
    e.seizures.add(r.seizureId);
    by.set(r.key, e);
  }
  for (const [key, e] of by) {
    if (e.seizures.size < 2) continue;
    const id = `${kind === 'OBSERVABLE' ? 'obs' : 'profile'}:${key}`;
    nodes.push({ id, kind, label: e.label });
    for (const s of e.seizures) edges.push({ from: s, to: id, kind: edgeKind, score: null, status: null });
  }
}
