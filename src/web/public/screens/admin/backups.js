// Backups: each one with the proof that it restores (scratch server, audit trail verified there).
import { api } from '../../core/api.js';
import { card, fmtTime, h } from '../../core/dom.js';

const size = (bytes) => (bytes === null ? '—' : bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
const secs = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

function summary(schedule, items) {
  const last = items.find((b) => b.status === 'VERIFIED');
  const when = last ? `Last verified backup: ${fmtTime(last.finishedAt)} (${last.auditEntries} audit entries verified after restoring it).` : 'No verified backup yet.';
  const plan = schedule
    ? `Every ${schedule.everyHours} h into ${schedule.dir}, keeping the last ${schedule.keep}; managers are alerted when one fails or is overdue.`
    : 'No schedule: set BACKUP_DIR (see README, "Backups"), or run npm run backup -- --to DIR.';
  return card(h('p', {}, when), h('p', {}, plan));
}

export async function adminBackups() {
  const { items, schedule } = await api('/backups?limit=100');
  return h('section', {}, h('h1', {}, 'Backups'), summary(schedule, items),
    h('table', {}, h('thead', {}, h('tr', {}, ['Started', 'How', 'Result', 'Size', 'Backup', 'Restore + verify', 'Samples', 'Audit entries', 'Folder or error'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((b) => h('tr', { class: b.status === 'FAILED' ? 'overdue' : '' },
        h('td', {}, fmtTime(b.startedAt)), h('td', {}, b.trigger.toLowerCase()), h('td', {}, b.status === 'VERIFIED' ? 'verified by restoring' : 'FAILED'),
        h('td', {}, size(b.bytes)), h('td', {}, secs(b.backupMs)), h('td', {}, secs(b.verifyMs)), h('td', {}, b.samples ?? '—'), h('td', {}, b.auditEntries ?? '—'),
        h('td', { class: b.error ? '' : 'mono' }, b.error ?? b.path))))));
}
