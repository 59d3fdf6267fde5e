/** The type generator: its output for the example's schema compiles against a typed usage file. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generate, pascalCase, tsTypeOfColumn, type Schema } from '../src/typegen/generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, 'fixtures/example-schema.json'), 'utf8')) as Schema;

function typeErrors(dir: string): string[] {
  const program = ts.createProgram([join(dir, 'typed-usage.ts'), join(dir, 'tables.d.ts'), join(dir, 'views.d.ts'), join(dir, 'mutations.d.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    baseUrl: dir,
    paths: {
      '@arcana/sdk': [resolve(here, '../src/index.ts')],
      '@arcana/sdk/react': [resolve(here, '../src/react/index.ts')],
      '@arcana/sdk/vue': [resolve(here, '../src/vue/index.ts')],
    },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.split('/').pop()}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

function generateInto(name: string, input: Schema): string {
  const dir = join(here, '.generated', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(generate(input))) writeFileSync(join(dir, file), text);
  copyFileSync(join(here, 'fixtures/typed-usage.ts'), join(dir, 'typed-usage.ts'));
  return dir;
}

describe('arcana-typegen', () => {
  it('writes types that type-check the typed usage file (valid lines pass, wrong lines fail)', () => {
    expect(typeErrors(generateInto('example', schema))).toEqual([]);
  }, 60_000);

  it('is caught by the usage file when a type is wrong (a view param, a mutation param)', () => {
    const loose = structuredClone(schema);
    delete loose.views.user_list.params.role.oneOf; // role becomes any string
    delete loose.mutations!.set_role.params.role.oneOf;
    expect(typeErrors(generateInto('loose', loose))).toEqual([
      expect.stringMatching(/typed-usage.ts:25 Unused '@ts-expect-error' directive/),
      expect.stringMatching(/typed-usage.ts:\d+ Unused '@ts-expect-error' directive/),
    ]);
  }, 60_000);

  it('maps PostgreSQL types to their JSON form', () => {
    expect(['uuid', 'text', 'varchar', 'timestamptz', 'date', 'bytea'].map(tsTypeOfColumn)).toEqual(Array(6).fill('string'));
    expect(['int2', 'int4', 'int8', 'float8', 'numeric'].map(tsTypeOfColumn)).toEqual(Array(5).fill('number'));
    expect(tsTypeOfColumn('bool')).toBe('boolean');
    expect(tsTypeOfColumn('jsonb')).toBe('JsonValue');
    expect(tsTypeOfColumn('text[]')).toBe('string[]');
    expect(tsTypeOfColumn('unknown')).toBe('unknown');
    expect(pascalCase('task_list')).toBe('TaskList');
    expect(pascalCase('app.users')).toBe('AppUsers');
  });

  it('writes literal unions for oneOf params and documents defaults', () => {
    const views = generate(schema)['views.d.ts'];
    expect(views).toContain('role?: "admin" | "member" | "viewer";');
    expect(views).toContain('org_id: string;');
    expect(views).toContain('/** `bool`, optional */');
    expect(views).toContain("declare module '@arcana/sdk' {");
  });

  it('documents declared ranges and lengths as JSDoc tags', () => {
    const views = generate(schema)['views.d.ts'];
    expect(views).toContain(['  /**', '   * `int`, optional, default 50', '   * @minimum 1', '   * @maximum 1000', '   */',
      '  limit?: number;'].join('\n'));
    const titled = structuredClone(schema);
    titled.views.task_list.params.title = { type: 'string', required: true, maxLength: 200 };
    expect(generate(titled)['views.d.ts']).toContain(['  /**', '   * `string`, required', '   * @maxLength 200', '   */',
      '  title: string;'].join('\n'));
  });

  it('writes params per mutation, the ArcanaMutations map and the MutationRegistry augmentation', () => {
    const mutations = generate(schema)['mutations.d.ts'];
    expect(mutations).toContain(['/**', ' * Params of mutation `set_role` (strict: the server refuses any other param).',
      ' * Requires one of the roles `admin`, `owner`.', ' * Requires the permissions `users:write`.', ' */', 'export interface SetRoleMutationParams {'].join('\n'));
    expect(mutations).toContain(['  /**', '   * `string`, required', '   * @maxLength 200', '   */', '  title: string;'].join('\n'));
    expect(mutations).toContain('  role: "admin" | "member" | "viewer";');
    expect(mutations).toContain('export interface ArchiveDoneMutationParams {\n}');
    expect(mutations).toContain('export interface ArcanaMutations {\n  add_task: AddTaskMutationParams;\n  archive_done: ArchiveDoneMutationParams;\n  set_role: SetRoleMutationParams;\n}');
    expect(mutations).toContain("declare module '@arcana/sdk' {\n  interface MutationRegistry {\n    add_task: { params: AddTaskMutationParams; result: unknown };");
  });

  it('writes an empty mutation registry for a server without mutations', () => {
    const old = structuredClone(schema);
    delete old.mutations;
    const mutations = generate(old)['mutations.d.ts'];
    expect(mutations).toContain('export interface ArcanaMutations {\n}');
    expect(mutations).toContain('  interface MutationRegistry {\n  }');
  });

  it('refuses something that is not a schema', () => {
    expect(() => generate({ tables: {} } as unknown as Schema)).toThrow(/not an Arcana schema/);
    expect(() => generate({ tables: {}, views: {}, mutations: 'no' } as unknown as Schema)).toThrow('not an Arcana schema: "mutations" must be an object');
  });
});
