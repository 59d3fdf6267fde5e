// The demo page: the live task list of the caller's workspace. Identity is demo-only: taken from
// the URL (?workspace=acme&user=...) and a per-tab seance id.
(function () {
  'use strict';
  const query = new URLSearchParams(location.search);
  const workspace = query.get('workspace') || 'acme';
  const user = query.get('user') || (workspace === 'acme' ? 'ada' : 'grace');
  const seance = sessionStorage.getItem('arcana-seance') || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  sessionStorage.setItem('arcana-seance', seance);
  const identityHeaders = { 'X-Seance-ID': seance, 'X-User-ID': user, 'X-Workspace-ID': workspace, 'Content-Type': 'application/json' };

  document.getElementById('workspace').textContent = workspace;
  document.getElementById('user').textContent = user;
  const statusEl = document.getElementById('status');
  const list = document.getElementById('tasks');
  const errorEl = document.getElementById('error');

  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/arcana/ws?' +
    new URLSearchParams({ seance: seance, user: user, workspace: workspace });
  let taskHash = null;
  const client = new ArcanaMini.Client({
    url: wsUrl,
    onStatus: (status) => { statusEl.textContent = status; statusEl.className = 'status ' + status; statusEl.dataset.status = status; },
    onChange: render,
  });
  client.onReady = () => {
    if (taskHash) return;
    client.subscribe('task_list', {}).then((hash) => { taskHash = hash; render(); }).catch(showError);
  };

  function render() {
    if (!taskHash) return;
    const tasks = client.data(taskHash);
    list.replaceChildren(...tasks.map(renderTask));
    document.getElementById('total').textContent = String(client.views[taskHash].total ?? tasks.length);
    renderAssignees();
  }

  function renderTask(task) {
    const li = document.createElement('li');
    li.dataset.id = task.id;
    li.className = task.done ? 'done' : '';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !!task.done;
    box.addEventListener('change', () => write('PATCH', '/api/tasks/' + task.id, { done: box.checked }));
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = task.title;
    li.append(box, title);
    if (task.assignee) {
      const who = document.createElement('span');
      who.className = 'assignee';
      who.textContent = task.assignee.name;
      li.append(who);
    }
    const del = document.createElement('button');
    del.title = 'Delete';
    del.textContent = '×';
    del.addEventListener('click', () => write('DELETE', '/api/tasks/' + task.id));
    li.append(del);
    return li;
  }

  function renderAssignees() {
    const select = document.getElementById('assignee');
    const users = client.rows.users || {};
    const known = new Set([...select.options].map((o) => o.value));
    for (const id of Object.keys(users)) {
      if (!known.has(id)) select.append(new Option(users[id].name, id));
    }
  }

  function write(method, url, body) {
    errorEl.hidden = true;
    return fetch(url, { method: method, headers: identityHeaders, body: body === undefined ? undefined : JSON.stringify(body) })
      .then((response) => response.ok ? null : response.json().then((e) => showError({ message: e.error })));
  }

  function showError(error) {
    errorEl.textContent = error.message || error.error || String(error);
    errorEl.hidden = false;
  }

  document.getElementById('add').addEventListener('submit', (event) => {
    event.preventDefault();
    const title = document.getElementById('title');
    const assignee = document.getElementById('assignee').value;
    write('POST', '/api/tasks', { title: title.value, assignee_id: assignee || null }).then(() => { title.value = ''; });
  });
})();
