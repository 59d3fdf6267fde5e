#!/usr/bin/env node
/**
 * arcana-typegen --url http://localhost:9080/arcana [--out src/arcana] [--header "X-User-ID: ada"]… [--module @arcana/sdk]
 *
 * Reads `{url}/schema` from a running server and writes tables.d.ts, views.d.ts and mutations.d.ts into --out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, type Schema } from './generate.js';

interface Args {
  url: string;
  out: string;
  headers: Record<string, string>;
  moduleName?: string;
}

const USAGE = 'usage: arcana-typegen --url <mount url, e.g. http://localhost:9080/arcana> [--out <dir>] [--header "Name: value"]... [--module <sdk module>]';

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { headers: Record<string, string> } = { headers: {}, out: '.' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    i++;
    if (flag === '--url') args.url = value;
    else if (flag === '--out') args.out = value;
    else if (flag === '--module') args.moduleName = value;
    else if (flag === '--header') {
      const colon = value.indexOf(':');
      if (colon <= 0) throw new Error(`--header must be "Name: value", got ${JSON.stringify(value)}`);
      args.headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (!args.url) throw new Error(`--url is required\n${USAGE}`);
  return args as Args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const url = `${args.url.replace(/\/$/, '')}/schema`;
  const response = await fetch(url, { headers: { Accept: 'application/json', ...args.headers } });
  const body = (await response.json().catch(() => undefined)) as { ok?: boolean; data?: Schema; error?: string; code?: string } | undefined;
  if (!response.ok || !body?.ok) {
    throw new Error(`GET ${url} failed: ${response.status} ${body?.code ?? ''} ${body?.error ?? ''}`.trim());
  }
  const files = generate(body.data!, { moduleName: args.moduleName });
  await mkdir(args.out, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(args.out, name), text);
    console.log(`wrote ${join(args.out, name)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`arcana-typegen: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
