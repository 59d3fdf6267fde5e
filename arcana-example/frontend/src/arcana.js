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
  return { workspace, user, seance, org: query.get('org') || ORGS[workspace] || ORGS.acme };
}

export function connect(identity) {
  const base = new URL('.', window.location.href);
  const ws = new URL('arcana/ws', base);
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.search = new URLSearchParams({ seance: identity.seance, user: identity.user, workspace: identity.workspace }).toString();
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
