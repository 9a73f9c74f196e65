// fol-triage web client: plain ES modules, no build step, no network beyond this server.
// This entry module wires the screens to the router and the session to the page; nothing imports it.
import { onUnauthenticated } from './core/api.js';
import { banner, renderChrome } from './core/chrome.js';
import { $ } from './core/dom.js';
import { notFound, route, setViews } from './core/router.js';
import { loadMe, loadUnread, sessionEnded, signOut, startLive } from './core/session.js';
import { state } from './core/state.js';
import { adminLibraries } from './screens/admin/libraries.js';
import { adminBackups } from './screens/admin/backups.js';
import { adminUsers } from './screens/admin/users.js';
import { adminWebhooks } from './screens/admin/webhooks.js';
import { casePage, cases } from './screens/investigator/cases.js';
import { inbox } from './screens/investigator/inbox.js';
import { dashboard } from './screens/manager/dashboard.js';
import { operationPage } from './screens/manager/operation.js';
import { operationsPage } from './screens/manager/operations.js';
import { roster } from './screens/manager/roster.js';
import { signin } from './screens/signin.js';
import { destroyCharts } from './widgets/chart.js';
import { importPage } from './screens/technician/import.js';
import { intake } from './screens/technician/intake.js';
import { review } from './screens/technician/review.js';
import { samplePage } from './screens/technician/sample.js';
import { seizurePage } from './screens/technician/seizure.js';
import { seizures } from './screens/technician/seizures.js';
import { worklist } from './screens/technician/worklist.js';

setViews({
  signin,
  worklist,
  intake,
  import: importPage,
  sample: samplePage,
  seizures,
  seizure: seizurePage,
  review,
  inbox,
  cases,
  case: casePage,
  dashboard,
  operations: operationsPage,
  operation: operationPage,
  roster,
  admin: (page, id) => (page === 'users' ? adminUsers() : page === 'webhooks' ? adminWebhooks(id) : page === 'libraries' ? adminLibraries() : page === 'backups' ? adminBackups() : notFound()),
  notFound,
});
onUnauthenticated(sessionEnded);

$('#logout').addEventListener('click', signOut);
window.addEventListener('hashchange', () => {
  destroyCharts();
  route();
});
window.addEventListener('error', (e) => banner(`Error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => e.reason?.status !== 401 && banner(`Error: ${e.reason?.message ?? e.reason}`));

await loadMe();
renderChrome();
if (state.me) {
  startLive();
  loadUnread();
}
route();
