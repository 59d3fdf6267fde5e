/** Arcana's HTTP endpoints (subscribe, unsubscribe, sync, active, schema) on a real node:http server over the ModelServer. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelServer } from './model-server.js';

export async function startHttp(model: ModelServer, schema: unknown = {}): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^\/arcana\//, '');
      requests.push(`${req.method} ${path} ${req.headers['x-user-id'] ?? ''}`.trim());
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      try {
        const input = body ? JSON.parse(body) : {};
        if (!req.headers['x-user-id']) return send(401, { ok: false, error: 'no identity', code: 'unauthorized' });
        if (path === 'subscribe') return send(200, { ok: true, data: model.subscribe(input.view, input.params ?? {}) });
        if (path === 'unsubscribe') return send(200, { ok: true, data: model.unsubscribe(input.params_hash) ?? null });
        if (path === 'sync') return send(200, { ok: true, data: { views: model.sync(input.views) } });
        if (path === 'mutate') return send(200, { ok: true, ...model.mutate(input.action, input.params ?? {}, input.mutation_id) });
        if (path === 'schema') return send(200, { ok: true, data: schema });
        if (path === 'active') return send(200, { ok: true, data: model.active() });
        return send(404, { ok: false, error: 'no such endpoint', code: 'not_found' });
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'internal';
        const reason = (error as { reason?: string }).reason;
        const status = ({ not_found: 404, conflict: 409, invalid_params: 400, not_ready: 503 } as Record<string, number>)[code] ?? 500;
        return send(status, { ok: false, error: (error as Error).message, code, ...(reason ? { reason } : {}) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/arcana`, server, requests };
}
