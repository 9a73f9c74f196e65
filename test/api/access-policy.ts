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
  // Cases: the assignee, MANAGER and ADMIN read; MANAGER assigns; the assignee or a MANAGER links seizures.
  'GET /cases': only([I, M, A]),
  'GET /cases/:id': only([I, M, A]),
  'POST /cases/:id/assign': only([M]),
  'POST /cases/:id/seizures': only([I, M]),
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
  // Webhooks: ADMIN.
  'POST /webhooks': only([A], 201),
  'GET /webhooks': only([A]),
  'POST /webhooks/:id/disable': only([A]),
  'GET /webhooks/:id/deliveries': only([A]),
};

export const allows = (p: TPolicy, role: TPolicyRole) => p.who === 'any' || p.who.includes(role);
