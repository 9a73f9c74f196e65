/**
 * What people call the fields of the contract: used wherever a field is named to a person — the
 * error details of a refused request, the history of a correction, the timeline. A field not listed
 * is named by splitting its camelCase name ("sealNumber" → "seal number").
 */
export const FIELD_NAMES: Record<string, string> = {
  // Seizures
  portCode: 'port of entry',
  seizedAt: 'seized at',
  seizureNumber: 'seizure number',
  seizureId: 'seizure',
  conveyance: 'conveyance',
  subjectInCustody: 'subject in custody',
  controlledDeliveryPending: 'controlled delivery pending',
  narrative: 'narrative',
  // Samples
  form: 'form',
  description: 'description',
  grossWeightG: 'gross weight (g)',
  netWeightG: 'net weight (g)',
  netWeightUncertaintyG: 'net weight uncertainty ± (g)',
  unitCount: 'units',
  markings: 'markings',
  color: 'colour',
  sealNumber: 'seal number',
  priority: 'priority',
  dueAt: 'due',
  exhibitId: 'exhibit',
  // Tests
  technique: 'technique',
  outcome: 'outcome',
  substance: 'substance',
  hits: 'library hits',
  score: 'score',
  samplingId: 'sampling',
  reagent: 'reagent',
  observedColor: 'observed colour',
  dataRef: 'data file / spectrum reference',
  instrument: 'instrument',
  performedAt: 'performed at',
  correctsTestId: 'test corrected',
  correctionReason: 'reason for the correction',
  purityPct: 'purity (%)',
  fileId: 'spectrum file',
  // Custody, review, corrections, cases
  action: 'action',
  toUserId: 'to',
  witnessId: 'witness',
  location: 'location',
  sealIntact: 'seal intact',
  weightG: 'weight (g)',
  note: 'note',
  decision: 'decision',
  comment: 'comment',
  password: 'password',
  reason: 'reason',
  changes: 'changes',
  investigatorId: 'investigator',
  // Lists and reports
  from: 'from',
  to: 'to',
  limit: 'page size',
  cursor: 'page',
  status: 'status',
  groupBy: 'group by',
  q: 'search',
  sort: 'sort',
};

/** A field's name for people: "body.hits.0.score" → "library hits 1, score"; "query.from" → "from". */
export function fieldName(path: string): string {
  // The request's part, and a correction's "changes" wrapper, are containers, not fields.
  const all = path.split('.').filter((p) => p && p !== 'body' && p !== 'query' && p !== 'params');
  const parts = all.length > 1 ? all.filter((p) => p !== 'changes') : all;
  const words = parts.map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : FIELD_NAMES[p] ?? p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()));
  // "hits 1 score" reads as "library hits 1, score": an index closes the name before it.
  return words.reduce((acc, w, i) => (i === 0 ? w : /^\d+$/.test(w) ? `${acc} ${w}` : /^\d+$/.test(words[i - 1]!) ? `${acc}, ${w}` : `${acc} ${w}`), '') || 'request';
}
