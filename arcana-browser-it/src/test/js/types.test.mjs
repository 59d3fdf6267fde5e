// arcana-typegen (the SDK's bin) against the live server's /schema, then tsc --noEmit on a typed usage file.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BASE, exec, OUT } from './browser.mjs';

const moduleDir = new URL('../../../', import.meta.url).pathname;

test('types generated from the live /schema compile against a typed usage file', async () => {
  const dir = join(OUT, 'generated-types');
  mkdirSync(dir, { recursive: true });
  const bin = join(moduleDir, 'node_modules', '.bin', 'arcana-typegen');
  const { stdout } = await exec(bin, ['--url', `${BASE}/arcana`, '--out', dir,
    '--header', 'X-Seance-ID: typegen', '--header', 'X-User-ID: typegen', '--header', 'X-Workspace-ID: acme']);
  assert.match(stdout, /wrote .*tables\.d\.ts/);

  const tables = readFileSync(join(dir, 'tables.d.ts'), 'utf8');
  // from PostgreSQL's column types (bool, int4, nullable uuid), as the server reports them
  assert.match(tables, /done: boolean;/);
  assert.match(tables, /position: number;/);
  assert.match(tables, /assignee_id: string \| null;/);
  assert.match(readFileSync(join(dir, 'views.d.ts'), 'utf8'), /role\?: "admin" \| "member" \| "viewer";/);

  copyFileSync(new URL('typed-usage.ts', import.meta.url), join(dir, 'typed-usage.ts'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'], skipLibCheck: true, types: [],
    },
    include: ['*.ts'],
  }, null, 2));
  const tsc = join(moduleDir, 'node_modules', '.bin', 'tsc');
  const result = await exec(tsc, ['-p', join(dir, 'tsconfig.json')]).catch((error) => error);
  assert.equal(result.code ?? 0, 0, `tsc --noEmit failed:\n${result.stdout}${result.stderr}`);
});
