/** Mutation ids: `<random>:<counter>`, unique per seance (the server answers a retried id with its first outcome). */
const VALID_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function isValidMutationId(id: string): boolean {
  return VALID_ID.test(id);
}

export class MutationIds {
  private counter = 0;

  constructor(private readonly prefix: string = randomPrefix()) {}

  next(): string {
    return `${this.prefix}:${++this.counter}`;
  }
}

function randomPrefix(): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  if (uuid) return uuid.replace(/-/g, '');
  return `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.slice(0, 24);
}
