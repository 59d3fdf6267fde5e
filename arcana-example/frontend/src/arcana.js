// The page's identity and its Arcana client. Identity is demo-only (DemoIdentityResolver trusts it):
// ?workspace=acme&user=ada, and a seance id per browser tab.
import { ArcanaClient, IndexedDbPersistence, WebSocketTransport } from '@arcana/sdk';

/** The demo organisations of the seeded workspaces (DemoData.java). */
export const ORGS = {
  acme: 'aaaaaaaa-0000-4000-8000-000000000000',
  globex: 'bbbbbbbb-0000-4000-8000-000000000000',
};

export function identityFromUrl(location) {
  const query = new URLSearchParams(location.search);
  const workspace = query.get('workspace') || 'acme';
  const user = query.get('user') || (workspace === 'globex' ? 'hank' : 'ada');
  // one seance per tab and identity: the server binds a seance to one user and workspace
  const key = `arcana-seance:${user}@${workspace}`;
  const seance = query.get('seance') || sessionStorage.getItem(key) || crypto.randomUUID();
  sessionStorage.setItem(key, seance);
  // role=admin: the demo's admins may clear done tasks and open DevTools
  return { workspace, user, seance, role: query.get('role') || '', org: query.get('org') || ORGS[workspace] || ORGS.acme };
}

/** The identity's query parameters (the demo resolver reads them from the WebSocket handshake and DevTools' URL). */
function identityQuery(identity) {
  const query = new URLSearchParams({ seance: identity.seance, user: identity.user, workspace: identity.workspace });
  if (identity.role) query.set('role', identity.role);
  return query;
}

/** The same page in the other frameworks, for the same identity (the seance stays per tab). */
export function pageLinks(identity) {
  const query = new URLSearchParams({ workspace: identity.workspace, user: identity.user });
  if (identity.role) query.set('role', identity.role);
  return [
    { name: 'Svelte', href: `./?${query}` },
    { name: 'React', href: `./react.html?${query}` },
    { name: 'Vue', href: `./vue.html?${query}` },
  ];
}

/** DevTools for the demo's admins (DemoIdentityResolver grants them arcana:devtools); undefined for others. */
export function devtoolsUrl(identity) {
  return identity.role === 'admin' ? `./arcana/devtools?${identityQuery(identity)}` : undefined;
}

export function connect(identity) {
  const base = new URL('.', window.location.href);
  const ws = new URL('arcana/ws', base);
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.search = identityQuery(identity).toString();
  const client = new ArcanaClient({
    transport: new WebSocketTransport({ url: ws.toString() }),
    // the last data of this user and workspace shows at once after a reload (stale until synced)
    persistence: typeof indexedDB === 'undefined' ? undefined : new IndexedDbPersistence(`${identity.user}@${identity.workspace}`),
    backoff: { baseMs: 250, maxMs: 5_000 },
    onError: (error) => console.warn('arcana:', error),
  });
  window.arcana = client; // for the browser tests and the curious
  return client;
}
