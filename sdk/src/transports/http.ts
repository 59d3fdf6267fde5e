/** Arcana's HTTP endpoints (`{mount}/subscribe`, `/unsubscribe`, `/sync`, `/mutate`), with the `{ok,data}|{ok:false,error,code}` envelope. */
import { ArcanaError, DisconnectedError, type MutateReply, type MutateRequest, type SnapshotData, type SyncEntry, type SyncRequestView } from '../protocol.js';

export interface HttpApiOptions {
  /** The mount point, e.g. `/arcana` or `https://example.com/arcana`. */
  baseUrl: string;
  /** Identity headers and the like; a function is called per request. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Defaults to `same-origin`. */
  credentials?: RequestCredentials;
}

export class HttpApi {
  constructor(private readonly options: HttpApiOptions) {}

  subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData> {
    return this.post('subscribe', { view, params });
  }

  async unsubscribe(view: string, paramsHash: string): Promise<void> {
    await this.post('unsubscribe', { view, params_hash: paramsHash });
  }

  async sync(views: SyncRequestView[]): Promise<SyncEntry[]> {
    const data = await this.post<{ views: SyncEntry[] }>('sync', { views });
    return data.views;
  }

  /** `POST {mount}/mutate`: the reply's fields stand next to `ok` (`data` is the handler's result). */
  async mutate(request: MutateRequest): Promise<MutateReply> {
    const { ok: _ok, ...reply } = await this.envelope<Envelope & MutateReply>('POST', 'mutate', request);
    return { ...reply, data: reply.data ?? null, views: reply.views ?? [], rows: reply.rows ?? [], replayed: reply.replayed === true };
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body: unknown): Promise<T> {
    return (await this.envelope<Envelope & { data?: T }>(method, path, body)).data as T;
  }

  private async envelope<E extends Envelope>(method: string, path: string, body: unknown): Promise<E> {
    const extra = typeof this.options.headers === 'function' ? await this.options.headers() : this.options.headers;
    const doFetch = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.options.baseUrl.replace(/\/$/, '')}/${path}`, {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: this.options.credentials ?? 'same-origin',
      });
    } catch (error) {
      throw new DisconnectedError(`request to ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    let envelope: E;
    try {
      envelope = await response.json();
    } catch {
      if (response.status >= 502 && response.status <= 504) throw new DisconnectedError(`server unavailable (${response.status})`);
      throw new ArcanaError('bad_response', `${path}: status ${response.status} without a JSON body`, response.status);
    }
    if (!response.ok || envelope.ok !== true) {
      throw new ArcanaError(envelope.code ?? 'internal', envelope.error ?? `status ${response.status}`, response.status, envelope.reason);
    }
    return envelope;
  }
}

interface Envelope {
  ok?: boolean;
  error?: string;
  code?: string;
  /** for `conflict`: the application's reason */
  reason?: string;
}
