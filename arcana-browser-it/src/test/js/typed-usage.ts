// Compiled (tsc --noEmit, types.test.mjs) against the types generated from the live example's /schema: the valid
// lines must compile, and every line marked @ts-expect-error must be a type error. (The SDK's own
// test/fixtures/typed-usage.ts is written for its fixture schema, which has other mutations.)
import { ArcanaClient, WebSocketTransport } from '@arcana/sdk';
import type { TasksRow, UsersRow } from './tables.js';
import type { UserListParams } from './views.js';
import type { AddTaskMutationParams, ArcanaMutations } from './mutations.js';

const client = new ArcanaClient({ transport: new WebSocketTransport({ url: 'ws://localhost/arcana/ws' }) });

const tasks = client.subscribe('task_list', { done: true, limit: 10 });
const title: string = tasks.data[0].title;
const done: boolean = tasks.data[0].done;
const assignee: string | null = tasks.data[0].assignee_id;
const position: number = tasks.data[0].position;
const users = client.subscribe('user_list', { org_id: 'aaaaaaaa-0000-4000-8000-000000000000', role: 'admin' });
const email: string = users.data[0].email;
const row: UsersRow = { id: 'x', name: 'n', email: 'e', role: 'member' };
const params: UserListParams = { org_id: 'x' };
const task: Partial<TasksRow> = { assignee_id: null };

// @ts-expect-error: an unknown view key
client.subscribe('no_such_view', {});
// @ts-expect-error: oneOf params are literal unions
client.subscribe('user_list', { org_id: 'x', role: 'owner' });
// @ts-expect-error: a required param is missing
client.subscribe('user_list', { role: 'admin' });
// @ts-expect-error: bool param given a string
client.subscribe('task_list', { done: 'yes' });
// @ts-expect-error: an int4 column is a number
const wrong: string = tasks.data[0].position;
// @ts-expect-error: a non-nullable column is never null
const notNull: TasksRow = { id: 'x', title: null, done: false, assignee_id: null, position: 0 };

// the example's mutations (TaskMutations.java): typed by action, params strict
const added: Promise<unknown> = client.mutate('add_task', { id: 'n1', title: 'x' }, {
  optimistic: (tx) => {
    tx.put('tasks', 'n1', { id: 'n1', title: 'x', done: false, assignee_id: null, position: 9 });
    tx.view('task_list').insert('tasks', 'n1', { at: 'end' });
  },
});
void client.mutate('toggle_task', { id: 't', done: true }, { optimistic: (tx) => tx.update('tasks', 't', { done: true }) });
void client.mutate('rename_task', { id: 't', title: 'y' }, { mutationId: 'tab1:7' });
void client.mutate('move_task', { id: 't', position: 3 });
void client.mutate('delete_task', { id: 't' });
const addParams: AddTaskMutationParams = { title: 't' };
const moveParams: ArcanaMutations['move_task'] = { id: 't', position: 0 };
// @ts-expect-error: an unknown action
void client.mutate('no_such_action', {});
// @ts-expect-error: a required param is missing
void client.mutate('toggle_task', { id: 't' });
// @ts-expect-error: params are required when the action has required ones
void client.mutate('delete_task');
// @ts-expect-error: strict params: one the mutation does not declare
void client.mutate('add_task', { title: 'x', position: 1 });
// @ts-expect-error: an int param is a number
void client.mutate('move_task', { id: 't', position: '3' });

export { title, done, assignee, position, email, row, params, task, wrong, notNull, added, addParams, moveParams };
