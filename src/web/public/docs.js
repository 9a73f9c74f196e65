fetch('/api/v1/openapi.json').then((r) => r.json()).then((doc) => {
  const rows = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tr = document.createElement('tr');
      for (const t of [method.toUpperCase(), path, op.summary, op.description.replace('Who: ', '')]) {
        const td = document.createElement('td'); td.textContent = t; tr.append(td);
      }
      rows.push(tr);
    }
  }
  document.getElementById('ops').replaceChildren(...rows);
});
