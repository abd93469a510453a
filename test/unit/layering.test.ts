import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT_DIR } from '../../lib/paths.js';

/** Which top-level folders each layer may import from (docs/architecture.md). */
const ALLOWED: Record<string, string[]> = {
  lib: ['lib'],
  renderer: ['lib', 'renderer'],
  pipeline: ['lib', 'renderer', 'pipeline'],
  server: ['lib', 'renderer', 'pipeline', 'server'],
};

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

test('imports go down the layers: lib ← renderer ← pipeline ← server', () => {
  const wrongWay: string[] = [];
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    for (const file of sources(join(ROOT_DIR, layer))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(ROOT_DIR, resolve(dirname(file), specifier!)).split('/')[0]!;
        if (!allowed.includes(target)) wrongWay.push(`${relative(ROOT_DIR, file)} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(wrongWay, []);
});
