/**
 * JSON Pointer (RFC 6901) and JSON Patch (RFC 6902), implemented to the letter: the server's
 * `refs_patch` and row patches are applied with this, and any deviation would corrupt views.
 *
 * `applyPatch` never mutates its input: it works on a deep copy and returns the new document, so a
 * failing patch leaves the caller's state untouched (RFC 6902 §5: a patch is atomic).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type PatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: JsonValue };

/** A patch that cannot be applied; `index` is the failing operation's position in the patch. */
export class PatchError extends Error {
  constructor(message: string, readonly index: number = -1) {
    super(message);
    this.name = 'PatchError';
  }
}

/** Splits a JSON Pointer into its unescaped reference tokens (`~1` → `/`, then `~0` → `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (typeof pointer !== 'string' || pointer[0] !== '/') {
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with '/'`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new PatchError(`invalid escape in JSON pointer ${JSON.stringify(pointer)}`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Escapes one reference token for use in a JSON Pointer. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

type Container = JsonValue[] | { [key: string]: JsonValue };

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** RFC 6901 §4: array indexes are `0` or digits without a leading zero. */
function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index '${token}' in ${pointer}`);
  const index = Number(token);
  const max = allowEnd ? length : length - 1;
  if (index > max) throw new PatchError(`array index ${index} out of range in ${pointer}`);
  return index;
}

/** The value at `pointer`, or a PatchError when it does not exist. */
export function getPointer(document: JsonValue, pointer: string): JsonValue {
  let node: JsonValue = document;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      node = node[arrayIndex(token, node.length, false, pointer)];
    } else if (isContainer(node) && hasOwn(node, token)) {
      node = (node as Record<string, JsonValue>)[token];
    } else {
      throw new PatchError(`path ${pointer} does not exist`);
    }
  }
  return node;
}

/** The container holding the pointer's target, and the target's last token. */
function locate(document: JsonValue, pointer: string): [Container, string] {
  const tokens = parsePointer(pointer);
  const last = tokens.pop()!;
  let node: JsonValue = document;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      node = node[arrayIndex(token, node.length, false, pointer)];
    } else if (isContainer(node) && hasOwn(node, token)) {
      node = (node as Record<string, JsonValue>)[token];
    } else {
      throw new PatchError(`path ${pointer} does not exist`);
    }
  }
  if (!isContainer(node)) throw new PatchError(`parent of ${pointer} is not an object or array`);
  return [node, last];
}

export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if (isContainer(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = deepClone((value as Record<string, unknown>)[key]);
    return copy as T;
  }
  return value;
}

/** JSON equality (RFC 6902 §4.6): objects compare by members regardless of order, numbers by value. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isContainer(a) && isContainer(b) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length
      && keys.every((key) => hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return false;
}

function add(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  if (pointer === '') return value;
  const [parent, key] = locate(document, pointer);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(key, parent.length, true, pointer), 0, value);
  } else {
    parent[key] = value;
  }
  return document;
}

function remove(document: JsonValue, pointer: string): [JsonValue, JsonValue] {
  if (pointer === '') throw new PatchError('cannot remove the whole document');
  const [parent, key] = locate(document, pointer);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(key, parent.length, false, pointer), 1);
    return [document, removed];
  }
  if (!hasOwn(parent, key)) throw new PatchError(`path ${pointer} does not exist`);
  const removed = parent[key];
  delete parent[key];
  return [document, removed];
}

function applyOperation(document: JsonValue, operation: PatchOperation, lenient: boolean): JsonValue {
  if (!isContainer(operation) || typeof operation.path !== 'string') throw new PatchError('operation without a path');
  switch (operation.op) {
    case 'add':
      requireValue(operation);
      return add(document, operation.path, deepClone(operation.value));
    case 'remove':
      return remove(document, operation.path)[0];
    case 'replace': {
      requireValue(operation);
      if (operation.path === '') return deepClone(operation.value);
      if (lenient) {
        const [parent, key] = locate(document, operation.path);
        if (!Array.isArray(parent) && !hasOwn(parent, key)) return add(document, operation.path, deepClone(operation.value));
      }
      // RFC 6902 §4.3: the target must exist; replace = remove + add at the same location
      const [afterRemove] = remove(document, operation.path);
      return add(afterRemove, operation.path, deepClone(operation.value));
    }
    case 'move': {
      const from = requireFrom(operation);
      // RFC 6902 §4.4: "from" must not be a proper prefix of "path" *as a pointer* (whole tokens):
      // /1 → /19 is a valid move, /a → /a/b is not.
      if (operation.path !== from && operation.path.startsWith(from + '/')) {
        throw new PatchError(`cannot move ${from} into its own child ${operation.path}`);
      }
      if (operation.path === from) {
        getPointer(document, from); // must exist; otherwise a no-op
        return document;
      }
      const [afterRemove, value] = remove(document, from);
      return add(afterRemove, operation.path, value);
    }
    case 'copy': {
      const from = requireFrom(operation);
      return add(document, operation.path, deepClone(getPointer(document, from)));
    }
    case 'test': {
      requireValue(operation);
      if (!deepEqual(getPointer(document, operation.path), operation.value)) {
        throw new PatchError(`test failed at ${operation.path}`);
      }
      return document;
    }
    default:
      throw new PatchError(`unknown operation ${JSON.stringify((operation as { op: unknown }).op)}`);
  }
}

function requireValue(operation: object): void {
  if (!hasOwn(operation, 'value')) throw new PatchError(`'${(operation as PatchOperation).op}' without a value`);
}

function requireFrom(operation: object): string {
  const from = (operation as { from?: unknown }).from;
  if (typeof from !== 'string') throw new PatchError(`'${(operation as PatchOperation).op}' without a 'from'`);
  return from;
}

export interface ApplyOptions {
  /**
   * Treat `replace` of a missing object member as `add`. Used for row patches only: the server
   * patches its union of a row's fields, while this client may hold fewer of them.
   */
  lenient?: boolean;
}

/** Applies `patch` to a copy of `document` and returns the result; throws PatchError (atomically). */
export function applyPatch<T = JsonValue>(document: T, patch: readonly PatchOperation[], options: ApplyOptions = {}): T {
  if (!Array.isArray(patch)) throw new PatchError('a patch must be an array of operations');
  let result = deepClone(document) as JsonValue;
  patch.forEach((operation, index) => {
    try {
      result = applyOperation(result, operation, options.lenient === true);
    } catch (error) {
      if (error instanceof PatchError) throw new PatchError(`operation ${index}: ${error.message}`, index);
      throw error;
    }
  });
  return result as T;
}
