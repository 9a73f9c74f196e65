// The duty roster: who receives each port's presumptive alerts and new cases.
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { saveChoice } from '../../widgets/save-choice.js';

export async function roster() {
  const [ports, investigators] = await Promise.all([api('/ports'), api('/users?role=INVESTIGATOR')]);
  const name = new Map(investigators.items.map((u) => [u.id, `${u.name}${u.disabled ? ' (disabled)' : ''}`]));
  const who = (id) => (id ? name.get(id) ?? 'an unknown user' : 'nobody');
  const active = investigators.items.filter((u) => !u.disabled);
  return h('section', {}, h('h1', {}, 'Duty roster'),
    h('p', { class: 'muted' }, 'The on-duty investigator of a port gets its presumptive alerts and its new cases. Nobody on duty: the managers get them. Choose, then Save the row.'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Port'), h('th', {}, 'On duty'))),
      h('tbody', {}, ports.map((p) => {
        const current = p.dutyInvestigatorId ?? '';
        // Someone disabled since still shows as on duty until the manager replaces them.
        const options = [{ value: '', text: 'nobody' }, ...active.map((u) => ({ value: u.id, text: u.name })),
          ...(current && !active.some((u) => u.id === current) ? [{ value: current, text: who(current) }] : [])];
        const where = `${p.code} ${p.name}`;
        return h('tr', {}, h('td', {}, `${where}, ${p.state}`), h('td', {}, saveChoice({
          options, value: current, what: `On duty at ${where}`, saveWhat: `Save duty at ${where}`,
          save: async (id, before) => {
            await api(`/ports/${p.code}/duty`, { method: 'PUT', body: { investigatorId: id || null } });
            return `Saved: ${who(id)} is on duty at ${where} (before: ${who(before)}).`;
          },
        })));
      }))));
}
