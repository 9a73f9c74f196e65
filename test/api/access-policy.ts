/**
 * Who may call what, written by hand from the contract (shared/api-contract.md: the role list and
 * each table's "who" column) and, for routes the contract leaves open, from the README's security
 * model — never read from the route table it checks. A route opened to the wrong role, or a new route
 * nobody placed here, fails the access matrix. `ok` is the status a permitted call answers.
 */
export type TPolicyRole = 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER' | 'ADMIN';
export type TPolicy = { who: 'any' | TPolicyRole[]; ok: 200 | 201 | 204 };

const T = 'TECHNICIAN';
const I = 'INVESTIGATOR';
const M = 'MANAGER';
const A = 'ADMIN';
const any = (ok: TPolicy['ok'] = 200): TPolicy => ({ who: 'any', ok });
const only = (who: TPolicyRole[], ok: TPolicy['ok'] = 200): TPolicy => ({ who, ok });

export const POLICY: Record<string, TPolicy> = {
  // Auth and users: any session for itself; ADMIN manages users; MANAGER may list them (rosters).
  'POST /auth/logout': any(204),
  'GET /me': any(),
  'POST /users': only([A], 201),
  'GET /users': only([A, M]),
  'GET /users/directory': only([T, M, A]),
  'POST /users/:id/disable': only([A]),
  'POST /users/:id/enable': only([A]),
  // Reference data and tools: any session; MANAGER sets duty rosters.
  'GET /ports': any(),
  'PUT /ports/:code/duty': only([M]),
  'GET /substances': any(),
  'GET /tools/sampling-plan': any(),
  'GET /meta': any(),
  // Seizures and samples: TECHNICIAN registers, tests, keeps custody and submits; reviews are by a
  // TECHNICIAN or MANAGER; only a MANAGER takes a sample out of NEEDS_ATTENTION. Reads are open to any
  // session, narrowed per record (an investigator sees only what hangs off their cases).
  'POST /seizures': only([T], 201),
  'GET /seizures/:id': only([T, M, A]),
  'POST /samples': only([T], 201),
  'GET /samples': any(),
  'GET /samples/by-barcode/:barcode': any(),
  'GET /samples/:id': any(),
  'POST /samples/:id/tests': only([T], 201),
  'GET /samples/:id/tests': any(),
  'GET /samples/:id/classifications': any(),
  'POST /samples/:id/custody': only([T], 201),
  'GET /samples/:id/custody': any(),
  'GET /samples/:id/label': only([T, M, A]),
  'GET /samples/:id/report': any(),
  'POST /samples/:id/submit': only([T]),
  'POST /samples/:id/review': only([T, M]),
  'POST /samples/:id/attention': only([M]),
  // Corrections are a technician's, like the registration they correct (managers read, never edit).
  'POST /samples/:id/corrections': only([T], 201),
  'POST /seizures/:id/corrections': only([T], 201),
  'GET /seizures': only([T, M, A]),
  // Cases: the assignee, MANAGER and ADMIN read; MANAGER assigns; the assignee or a MANAGER links seizures.
  'GET /cases': only([I, M, A]),
  'GET /cases/:id': only([I, M, A]),
  'POST /cases/:id/assign': only([M]),
  'POST /cases/:id/seizures': only([I, M]),
  // Finding a seizure to link (by part of its number) belongs to whoever may link it.
  'GET /cases/:id/linkable-seizures': only([I, M]),
  // Notifications: anyone, their own.
  'GET /notifications': any(),
  'GET /notifications/stream': any(),
  'POST /notifications/:id/read': any(204),
  // Reports and the audit trail: MANAGER and ADMIN.
  'GET /reports/turnaround': only([M, A]),
  'GET /reports/backlog': only([M, A]),
  'GET /reports/operations': only([M, A]),
  'GET /reports/throughput': only([M, A]),
  'GET /audit': only([M, A]),
  'GET /audit/verify': only([M, A]),
  'GET /audit/checkpoints': only([M, A]),
  'GET /audit/proof': only([M, A]),
  'GET /audit/consistency': only([M, A]),
  // Webhooks: ADMIN manages them; a MANAGER ("everything read-only") sees them and their delivery log.
  'POST /webhooks': only([A], 201),
  'GET /webhooks': only([M, A]),
  'POST /webhooks/:id/disable': only([A]),
  'GET /webhooks/:id/deliveries': only([M, A]),

  // Seizure intelligence (issue 13 and the README's "Seizure intelligence" and "For investigators"):
  // technicians add what a seizure carries; related seizures and the link chart are case material,
  // read by the case's investigator, managers (who see all) and administrators like the case itself;
  // a pair is confirmed or dismissed by "investigators (for seizures in their cases) and managers".
  'POST /seizures/:id/observables': only([T], 201),
  'GET /seizures/:id/observables': only([T, I, M, A]),
  'POST /seizures/:id/exhibits': only([T], 201),
  'GET /seizures/:id/related': only([I, M, A]),
  'POST /seizures/:id/links': only([I, M]),
  'GET /cases/:id/network': only([I, M, A]),
  // Arrests are recorded on a case by its investigator or a manager, and read like the case.
  'POST /cases/:id/arrests': only([I, M], 201),
  'GET /cases/:id/arrests': only([I, M, A]),
  // Operations: a MANAGER opens them; the tally is a report (MANAGER, ADMIN); a seizure is tagged by
  // hand by technicians (at intake) and managers.
  'POST /operations': only([M], 201),
  'GET /operations': only([M, A]),
  'GET /operations/:id': only([M, A]),
  'POST /operations/:id/seizures': only([T, M]),
  'GET /operations/:id/seizures': only([M, A]),
  'GET /operations/:id/summary': only([M, A]),
  // Manifest intake is a technician's job; its result and labels are lab records (technicians,
  // managers who read everything, administrators), not case material.
  'POST /imports': only([T], 201),
  'GET /imports/:id': only([T, M, A]),
  'GET /imports/:id/labels': only([T, M, A]),

  // Instrument files and spectral libraries (issue 16): files are evidence on the sample, attached by
  // technicians and read under the sample's own access rules; "an administrator imports" a library;
  // searching and listing libraries is lab work (not an investigator's); a library spectrum is
  // reference data any session may draw.
  'POST /samples/:id/files': only([T], 201),
  'GET /samples/:id/files': any(),
  'GET /files/:id': any(),
  'GET /files/:id/spectrum': any(),
  'POST /spectral-libraries': only([A], 201),
  'GET /spectral-libraries': only([T, M, A]),
  'GET /spectral-records/:id': any(),
  'POST /spectra/search': only([T, M, A]),

  // Operations (issue 17): the backup record, each with how its verification by restoring went, is
  // read by those who answer for the lab's data (managers, alerted when one fails) and administrators.
  'GET /backups': only([M, A]),
};

export const allows = (p: TPolicy, role: TPolicyRole) => p.who === 'any' || p.who.includes(role);
