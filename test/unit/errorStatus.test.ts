import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { ROOT_DIR } from '../../lib/paths.js';
import { InvalidJobError } from '../../pipeline/jobs/errors.js';
import { ERRORS_DOC, renderErrorsDoc } from '../../scripts/errorsDoc.js';
import { installErrorHandler } from '../../server/http/errorHandler.js';
import { ERROR_CODES, ERROR_SECTIONS } from '../../server/http/errorStatus.js';
import { InvalidSdpError } from '../../server/sfu/errors.js';

const CATALOGUE_FILE = path.join('server', 'http', 'errorStatus.ts');
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

/** CodedError's subclasses, and the job errors: they have to stay BullMQ's, and are mapped through the catalogue all the same. */
const UNRECOVERABLE = new Set(['InvalidJobError', 'JobCancelledError']);
function isCoded(name: string): boolean {
  if (name === 'CodedError' || UNRECOVERABLE.has(name)) return true;
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

/**
 * Every literal code a client or log can see, with where: what a coded class is built with
 * (`new X('CODE'`) or passes up (`super('CODE'`), a job error's `code = 'CODE'`, and the
 * codes the HTTP edge and sockets write themselves (`code: 'CODE'`, Fastify's `[415, 'CODE']`).
 */
function usedCodes(): Map<string, string> {
  const coded = [...classes.keys()].filter(isCoded);
  const built = new RegExp(`new (?:${coded.filter(takesCodeFirst).join('|')})\\(\\s*'([A-Z0-9_]+)'`, 'g');
  const codes = new Map<string, string>();
  for (const { file, text } of sources) {
    for (const [, code] of text.matchAll(built)) codes.set(code!, file);
    if (file.startsWith('server')) for (const [, code] of text.matchAll(/(?:\bcode: |\[\d{3}, )'([A-Z0-9_]+)'/g)) codes.set(code!, file);
  }
  for (const name of coded) {
    const decl = classes.get(name);
    if (decl) for (const [, code] of decl.body.matchAll(/(?:super\(\s*|code = )'([A-Z0-9_]+)'/g)) codes.set(code!, decl.file);
  }
  return codes;
}

test('every code thrown or sent has an entry in the catalogue', () => {
  const codes = usedCodes();
  // The scan has to see the tree, or this test would pass on nothing.
  for (const code of ['INVALID_POLL', 'INVALID_SDP', 'TTS_ABORTED', 'CHAT_EMPTY', 'ROLLOUT_NOT_PAUSED', 'PAYLOAD_INVALID', 'JOB_CANCELLED', 'UNKNOWN_EVENT', 'INVALID_JSON', 'RANKER_LOG_EMPTY']) {
    assert.ok(codes.has(code), `the scan finds ${code}`);
  }
  const missing = [...codes].filter(([code]) => !(code in ERROR_CODES)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], `codes used but not in ${CATALOGUE_FILE}`);
});

test('every code in the catalogue is used somewhere, so none is stale', () => {
  const text = sources.filter(({ file }) => file !== CATALOGUE_FILE).map(({ text }) => text).join('\n');
  assert.deepEqual(Object.keys(ERROR_CODES).filter((code) => !text.includes(`'${code}'`)), []);
});

test('every error class with a code is a CodedError (or one of the BullMQ job errors)', () => {
  const uncoded = [...classes].filter(([name, { parent, body }]) => parent === 'Error' && /\bcode\b/.test(body) && !isCoded(name)).map(([name, { file }]) => `${name} (${file})`);
  assert.deepEqual(uncoded, []);
});

test('each code is in one section, with a 4xx or 5xx status and a one-line meaning', () => {
  const listed = Object.values(ERROR_SECTIONS).flatMap((codes) => Object.keys(codes));
  assert.equal(listed.length, new Set(listed).size, 'no code in two sections');
  for (const [code, { status, meaning }] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[A-Z][A-Z0-9_]+$/);
    assert.ok(status >= 400 && status < 600, `${code}: ${status}`);
    assert.match(meaning, /^[A-Z"_].{10,200}\.$/, `${code}: a sentence`);
    assert.doesNotMatch(meaning, /\n/);
  }
});

test('docs/errors.md is the catalogue as scripts/errorsDoc.ts writes it', () => {
  assert.equal(readFileSync(ERRORS_DOC, 'utf8'), renderErrorsDoc(), 'run: npx tsx scripts/errorsDoc.ts');
  for (const code of Object.keys(ERROR_CODES)) assert.match(renderErrorsDoc(), new RegExp(`\\| \`${code}\` \\|`));
});

test('the error handler maps coded errors through the catalogue, with retryAfterS as retry-after', async (t) => {
  const app = Fastify();
  t.after(() => app.close());
  installErrorHandler(app);
  app.get('/full', async () => {
    throw new CodedError('CUE_QUEUE_FULL', 'at most 50 cues may wait', 5);
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
  app.get('/bug', async () => {
    throw Object.assign(new TypeError('x is undefined'), { code: 'ERR_SOMETHING' });
  });

  const full = await app.inject('/full');
  assert.equal(full.statusCode, 429);
  assert.equal(full.headers['retry-after'], '5');
  assert.deepEqual(full.json(), { error: { code: 'CUE_QUEUE_FULL', message: 'at most 50 cues may wait' } });

  const sdp = await app.inject('/sdp');
  assert.equal(sdp.statusCode, 400);
  assert.equal(sdp.headers['retry-after'], undefined);
  assert.deepEqual(sdp.json(), { error: { code: 'INVALID_SDP', message: 'no m-lines' } });

  const job = await app.inject('/job');
  assert.equal(job.statusCode, 400);
  assert.equal(job.json().error.code, 'PAYLOAD_INVALID');

  const uncatalogued = await app.inject('/uncatalogued');
  assert.equal(uncatalogued.statusCode, 500);
  assert.deepEqual(uncatalogued.json(), { error: { code: 'NOT_IN_THE_CATALOGUE', message: 'internal error' } });

  // An uncoded error's own `code` (a Node system error's, say) never leaves: it is INTERNAL.
  const bug = await app.inject('/bug');
  assert.equal(bug.statusCode, 500);
  assert.deepEqual(bug.json(), { error: { code: 'INTERNAL', message: 'internal error' } });
});
