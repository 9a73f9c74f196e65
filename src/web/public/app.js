// Placeholder client: signs in with the session cookie and shows the worklist.
const $ = (id) => document.getElementById(id);
async function api(path, opts = {}) {
  const csrf = document.cookie.split('; ').find((c) => c.startsWith('fol_csrf='))?.slice(9);
  const headers = { 'Content-Type': 'application/json', ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}) };
  const res = await fetch('/api/v1' + path, { credentials: 'same-origin', headers, ...opts });
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw Object.assign(new Error(body?.error?.message ?? res.statusText), { status: res.status });
  return body;
}
function cell(text, cls) { const td = document.createElement('td'); td.textContent = text ?? ''; if (cls) td.className = cls; return td; }
async function showWorklist() {
  const me = await api('/me');
  $('who').textContent = `— ${me.name} (${me.role})`;
  const { items } = await api('/samples?limit=100');
  $('rows').replaceChildren(...items.map((s) => {
    const tr = document.createElement('tr');
    tr.append(cell(s.barcode), cell(s.portCode), cell(s.form), cell(s.priority, s.priority), cell(s.status), cell(s.dueAt && new Date(s.dueAt).toLocaleString()),
      cell(s.classification ? `${s.classification.category} (${s.classification.level})` : '—'));
    return tr;
  }));
  $('signin').hidden = true; $('worklist').hidden = false;
}
$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    await api('/auth/login', { method: 'POST', body: JSON.stringify({ email: $('email').value, password: $('password').value }) });
    await showWorklist();
  } catch (err) { $('login-error').textContent = err.message; }
});
$('logout').addEventListener('click', async () => { await api('/auth/logout', { method: 'POST' }).catch(() => {}); location.reload(); });
showWorklist().catch(() => {});
