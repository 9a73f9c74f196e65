// The duty roster: who receives each port's presumptive alerts and new cases.
import { api } from '../../core/api.js';
import { banner } from '../../core/chrome.js';
import { h } from '../../core/dom.js';
import { select } from '../../widgets/form.js';

export async function roster() {
  const [ports, investigators] = await Promise.all([api('/ports'), api('/users?role=INVESTIGATOR')]);
  const active = investigators.items.filter((u) => !u.disabled);
  return h('section', {}, h('h1', {}, 'Duty roster'), h('p', { class: 'muted' }, 'The on-duty investigator of a port gets its presumptive alerts and its new cases. Nobody on duty: the managers get them.'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Port'), h('th', {}, 'On duty'))),
      h('tbody', {}, ports.map((p) => {
        const sel = select([{ value: '', text: 'nobody' }, ...active.map((u) => ({ value: u.id, text: u.name }))], { 'aria-label': `On duty at ${p.code} ${p.name}` });
        sel.value = p.dutyInvestigatorId ?? '';
        sel.addEventListener('change', async () => {
          try {
            await api(`/ports/${p.code}/duty`, { method: 'PUT', body: { investigatorId: sel.value || null } });
            banner(`Duty at ${p.code} updated.`);
          } catch (err) {
            banner(err.message);
          }
        });
        return h('tr', {}, h('td', {}, `${p.code} ${p.name}, ${p.state}`), h('td', {}, sel));
      }))));
}
