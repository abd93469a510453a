import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { ROOT_DIR } from '../../lib/paths.js';
import { InvalidJobError } from '../../pipeline/jobs/errors.js';
import { installErrorHandler } from '../../server/http/errorHandler.js';
import { ERROR_STATUS } from '../../server/http/errorStatus.js';
import { InvalidSdpError } from '../../server/sfu/errors.js';

const sources = ['server', 'pipeline', 'lib', 'renderer'].flatMap((dir) =>
  (readdirSync(path.join(ROOT_DIR, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: path.join(dir, file), text: readFileSync(path.join(ROOT_DIR, dir, file), 'utf8') })),
);

interface ClassDecl {
  parent: string;
  body: string;
  file: string;
}

/** Every `class X extends Y` in the tree, with its text up to the next class. */
const classes = new Map<string, ClassDecl>(
  sources.flatMap(({ file, text }) =>
    text.split(/^(?=(?:export )?(?:abstract )?class )/m).flatMap((body) => {
      const match = /^(?:export )?(?:abstract )?class (\w+) extends (\w+)/.exec(body);
      return match ? [[match[1]!, { parent: match[2]!, body, file }] as const] : [];
    }),
  ),
);

/** CodedError's subclasses, and InvalidJobError: it has to stay BullMQ's, and is mapped through the catalogue all the same. */
function isCoded(name: string): boolean {
  if (name === 'CodedError' || name === 'InvalidJobError') return true;
  const decl = classes.get(name);
  return decl !== undefined && isCoded(decl.parent);
}

/** Whether `new X(...)`'s first argument is the code: X's own constructor says so, or the one it inherits. */
function takesCodeFirst(name: string): boolean {
  if (name === 'CodedError') return true;
  const decl = classes.get(name);
  if (!decl) return false;
  const first = /constructor\(\s*(?:readonly\s+)?(\w+)/.exec(decl.body)?.[1];
  return first === undefined ? takesCodeFirst(decl.parent) : first === 'code';
}

/** Every literal code a coded class is built with (`new X('CODE'`) or passes up (`super('CODE'`), with where. */
function thrownCodes(): Map<string, string> {
  const coded = [...classes.keys()].filter(isCoded);
  const built = new RegExp(`new (?:${coded.filter(takesCodeFirst).join('|')})\\(\\s*'([A-Z0-9_]+)'`, 'g');
  const codes = new Map<string, string>();
  for (const { file, text } of sources) for (const [, code] of text.matchAll(built)) codes.set(code!, file);
  for (const name of coded) {
    const decl = classes.get(name);
    if (decl) for (const [, code] of decl.body.matchAll(/super\(\s*'([A-Z0-9_]+)'/g)) codes.set(code!, decl.file);
  }
  return codes;
}

test('every code a CodedError is thrown with has an HTTP status in the catalogue', () => {
  const codes = thrownCodes();
  // The scan has to see the tree, or this test would pass on nothing.
  for (const code of ['INVALID_POLL', 'INVALID_SDP', 'TTS_ABORTED', 'PERSONA_UNKNOWN', 'PAYLOAD_INVALID', 'SCRIPT_CONFIG_INVALID']) assert.ok(codes.has(code), `the scan finds ${code}`);
  const missing = [...codes].filter(([code]) => !(code in ERROR_STATUS)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], 'codes thrown but not in server/http/errorStatus.ts');
});

test("overlay template codes are in the catalogue: Audience.pushShared passes a template's code on", () => {
  // Only a catalog file (a list, JSON, a file) can break these; no client sends one.
  const catalogFileOnly = new Set(['OVERLAY_NOT_ARRAY', 'OVERLAY_DUPLICATE_ID', 'OVERLAY_BAD_JSON', 'OVERLAY_CATALOG_UNREADABLE']);
  const codes = sources.filter(({ file }) => file.startsWith(path.join('server', 'overlays'))).flatMap(({ text }) => [...text.matchAll(/'(OVERLAY_[A-Z_]+)'/g)].map(([, code]) => code!));
  assert.ok(codes.length > 10, 'the scan finds the overlay codes');
  assert.deepEqual([...new Set(codes)].filter((code) => !catalogFileOnly.has(code) && !(code in ERROR_STATUS)), []);
});

test('the error handler maps coded errors through the catalogue, with retryAfterS as retry-after', async (t) => {
  const app = Fastify();
  t.after(() => app.close());
  installErrorHandler(app);
  app.get('/full', async () => {
    throw new CodedError('CUE_QUEUE_FULL', 'at most 8 cues may wait', 5);
  });
  app.get('/sdp', async () => {
    throw new InvalidSdpError('no m-lines');
  });
  app.get('/job', async () => {
    throw new InvalidJobError('PAYLOAD_INVALID', 'the payload must be an object');
  });
  app.get('/uncatalogued', async () => {
    throw new CodedError('NOT_IN_THE_CATALOGUE', 'a bug');
  });

  const full = await app.inject('/full');
  assert.equal(full.statusCode, 429);
  assert.equal(full.headers['retry-after'], '5');
  assert.deepEqual(full.json(), { error: { code: 'CUE_QUEUE_FULL', message: 'at most 8 cues may wait' } });

  const sdp = await app.inject('/sdp');
  assert.equal(sdp.statusCode, 400);
  assert.equal(sdp.headers['retry-after'], undefined);
  assert.deepEqual(sdp.json(), { error: { code: 'INVALID_SDP', message: 'no m-lines' } });

  const job = await app.inject('/job');
  assert.equal(job.statusCode, 400);
  assert.equal(job.json().error.code, 'PAYLOAD_INVALID');

  const bug = await app.inject('/uncatalogued');
  assert.equal(bug.statusCode, 500);
  assert.deepEqual(bug.json(), { error: { code: 'NOT_IN_THE_CATALOGUE', message: 'internal error' } });
});
