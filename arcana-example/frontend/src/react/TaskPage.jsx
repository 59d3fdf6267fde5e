// The live task list with React: the same view, mutations and optimistic edits as the Svelte page (App.svelte).
import { useState } from 'react';
import { useMutation, useStatus, useView } from '@arcana/sdk/react';
import { devtoolsUrl, pageLinks } from '../arcana.js';
import { addTaskArgs, deleteOptimistic, nextPosition, toggleOptimistic } from '../tasks.js';

export function TaskPage({ client, identity }) {
  const [showDone, setShowDone] = useState(true);
  const tasks = useView(client, 'task_list', showDone ? {} : { done: false });
  const users = useView(client, 'user_list', { org_id: identity.org });
  const connection = useStatus(client);
  const toggleTask = useMutation(client, 'toggle_task', { optimistic: toggleOptimistic });
  const deleteTask = useMutation(client, 'delete_task', { optimistic: deleteOptimistic });
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState('');
  const [error, setError] = useState('');

  const status = connection !== 'live' ? connection : tasks.status;
  const report = (promise) => promise.catch((e) => setError(e.message)); // a refusal is undone by the SDK

  function add(event) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    const { params, options } = addTaskArgs(trimmed, assignee, nextPosition(tasks.data));
    setTitle('');
    setError('');
    report(client.mutate('add_task', params, options)).then((created) => {
      if (created === undefined) setTitle((now) => now || trimmed); // refused: give the text back
    });
  }

  return (
    <>
      <Header identity={identity} status={status} />
      <main>
        <form id="add" onSubmit={add}>
          <input id="title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What needs doing?"
                 maxLength={200} autoComplete="off" required />
          <select id="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">unassigned</option>
            {users.data.map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
          </select>
          <button type="submit">Add</button>
        </form>
        {error && <p id="error" className="error" role="alert">{error}</p>}
        <label className="hint">
          <input type="checkbox" id="show-done" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} /> show done tasks
        </label>
        <ul id="tasks">
          {tasks.data.map((task) => (
            <li key={task.id} data-id={task.id} className={task.done ? 'done' : undefined}>
              <input type="checkbox" aria-label="done" checked={task.done}
                     onChange={(e) => report(toggleTask.mutate({ id: task.id, done: e.target.checked }))} />
              <span className="title">{task.title}</span>
              {task.assignee && <span className="assignee">{task.assignee.name}</span>}
              <span className="actions">
                <button className="delete" title="Delete" onClick={() => report(deleteTask.mutate({ id: task.id }))}>×</button>
              </span>
            </li>
          ))}
        </ul>
        <p className="total"><span id="total">{tasks.total ?? tasks.data.length}</span> tasks</p>
      </main>
    </>
  );
}

function Header({ identity, status }) {
  const devtools = devtoolsUrl(identity);
  return (
    <header>
      <h1>Arcana demo <small>React</small></h1>
      <div className="who">
        workspace <strong id="workspace">{identity.workspace}</strong> · user <span id="user">{identity.user}</span>
        <span id="status" className={`status ${status}`} data-status={status}>{status}</span>
      </div>
      <nav className="pages">
        {pageLinks(identity).map((page) => <a key={page.name} href={page.href}>{page.name}</a>)}
        {devtools && <a id="devtools" href={devtools}>DevTools</a>}
      </nav>
    </header>
  );
}
