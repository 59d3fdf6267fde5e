// What the React and Vue pages share: the optimistic edits of the task mutations (TaskMutations.java), so that
// every page shows a change at once, the same way, until the server's own effects replace it.

/** The position after the last shown task (the view orders by position, then id). */
export function nextPosition(tasks) {
  return Math.max(0, ...tasks.map((task) => task.position)) + 1;
}

/** `add_task` with an id the page picks: its optimistic row is the server's row, never replaced. */
export function addTaskArgs(title, assigneeId, position) {
  const id = crypto.randomUUID();
  const params = assigneeId ? { id, title, assignee_id: assigneeId } : { id, title };
  const optimistic = (tx) => {
    tx.put('tasks', id, { id, title, done: false, assignee_id: assigneeId || null, position });
    const nested = assigneeId ? { assignee: { table: 'users', id: assigneeId, fields: ['id', 'name'] } } : undefined;
    tx.view('task_list').insert('tasks', id, { at: 'end', nested });
  };
  return { params, options: { optimistic } };
}

export const toggleOptimistic = (tx, { id, done }) => {
  tx.update('tasks', id, { done });
  if (done) tx.view('task_list', { done: false }).remove('tasks', id);
};

export const deleteOptimistic = (tx, { id }) => tx.delete('tasks', id);
