// Issue 16, tokens and secrets: config checks, log redaction, startup output, job process
// environments, the LLM adapter's settings, board sessions and metrics labels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Fastify from 'fastify';
import { ROOT_DIR } from '../../lib/paths.js';
import { redactUrl, scrubText, secretWeakness } from '../../lib/secrets.js';
import { sandboxEnv } from '../../pipeline/jobs/sandboxEnv.js';
import { llmConfigFromEnv } from '../../pipeline/script/index.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { BoardSessions } from '../../server/http/routes/adminRoutes.js';
import { configSecrets, loggerOptions } from '../../server/logging.js';
import { showLabeller } from '../../server/metrics.js';
import { startupBanner } from '../../server/startupBanner.js';

const HOST = 'Qm7vX2pL9sKd4TzR8wYb1NcF5hJe3GaU';
const PRODUCER = 'b8d0e6f1a3c94725be1f0d2c7a9e4b63';

const refuses = (env: Record<string, string>, variable: string, pattern?: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.variable === variable &&
      (!pattern || pattern.test(error.message)),
    JSON.stringify(env),
  );

test('placeholder and low-entropy tokens are refused with CONFIG_INVALID', () => {
  for (const weak of [
    'change-me-host-token-please',
    'CHANGE_ME_0a8Fz3Kq9WmX2vB7',
    'test-host-token-0123456789',
    'your-token-here-aaaaaaaaaa',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    '0123456789abcdef0123456789abcdef',
    'abcabcabcabcabcabcabcabcabcabcab',
    'hunter2hunter2hunter2hunter2',
    'correcthorsebatterystaple',
    'deadbeefdeadbeefdeadbeefdeadbee0',
    '8f2c4a1e9b7d3f6a0c5e8b2d4f1a7c9',
  ]) {
    refuses({ HOST_TOKEN: weak }, 'HOST_TOKEN');
    refuses({ PRODUCER_TOKEN: weak }, 'PRODUCER_TOKEN');
  }
  refuses({ HOST_TOKEN: 'change-me-host-token-please' }, 'HOST_TOKEN', /placeholder/);
  refuses({ HOST_TOKEN: '8f2c4a1e9b7d3f6a0c5e8b2d4f1a7c9' }, 'HOST_TOKEN', /22\.\.256|too weak/);
  const error = (() => {
    try {
      loadConfig({ HOST_TOKEN: 'change-me-host-token-please' });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  assert.equal(error?.code, 'CONFIG_INVALID');
});

test('random-looking tokens of about 128 bits pass: 22+ base64url or 32+ hex characters', () => {
  const config = loadConfig({ HOST_TOKEN: HOST, PRODUCER_TOKEN: PRODUCER });
  assert.equal(config.hostToken, HOST);
  assert.equal(config.hostTokenGenerated, false);
  assert.equal(loadConfig({ HOST_TOKEN: 'J-NeCD0P9WjImlyD42NA3Q' }).hostToken.length, 22);
  assert.equal(secretWeakness('rkh5ErW2733wGvCfHVBpy26vmuZq_boF'), undefined);
  assert.equal(secretWeakness('9f86d081884c7d659a2feaa0c55ad015'), undefined);
});

test('VIEWER_TOKEN_SECRET needs 32+ strong characters; METRICS_TOKEN is checked like the others', () => {
  refuses({ VIEWER_TOKEN_SECRET: 'short-secret' }, 'VIEWER_TOKEN_SECRET', /32\.\.256/);
  refuses({ VIEWER_TOKEN_SECRET: 'Qm7vX2pL9sKd4TzR8wYb1N' }, 'VIEWER_TOKEN_SECRET');
  refuses(
    { VIEWER_TOKEN_SECRET: 'change-me-change-me-change-me-change-me' },
    'VIEWER_TOKEN_SECRET',
    /placeholder/,
  );
  assert.equal(
    loadConfig({ VIEWER_TOKEN_SECRET: 'X9f2Lq7Rz4Wm8Tk1Vb6Nc3Hd5Jg0Ps2Ya' }).viewerTokenSecret,
    'X9f2Lq7Rz4Wm8Tk1Vb6Nc3Hd5Jg0Ps2Ya',
  );
  refuses({ METRICS_TOKEN: 'metrics-change-me' }, 'METRICS_TOKEN');
  refuses({ HOST_TOKEN: HOST, METRICS_TOKEN: HOST }, 'METRICS_TOKEN', /differ/);
  assert.equal(
    loadConfig({ METRICS_TOKEN: 'J-NeCD0P9WjImlyD42NA3Q' }).metricsToken,
    'J-NeCD0P9WjImlyD42NA3Q',
  );
  assert.equal(loadConfig({}).metricsToken, undefined);
});

test('a Redis URL password never reaches a config error', () => {
  refuses({ REDIS_URL: 'http://:hunter2pass@redis.internal:6379' }, 'REDIS_URL');
  try {
    loadConfig({ REDIS_URL: 'http://user:hunter2pass@redis.internal:6379' });
  } catch (error) {
    assert.doesNotMatch((error as Error).message, /hunter2pass/);
    assert.match((error as Error).message, /REDACTED@redis\.internal/);
  }
  assert.equal(redactUrl('redis://:s3cr3t@h:6379/0'), 'redis://:REDACTED@h:6379/0');
  assert.equal(redactUrl('redis://h:6379'), 'redis://h:6379');
  assert.doesNotMatch(
    scrubText('Error: Redis at redis://default:s3cr3t@h:6379 is not ready', []),
    /s3cr3t/,
  );
});

test('the startup banner prints a token only when it was generated', () => {
  const fromEnv = loadConfig({ HOST_TOKEN: HOST, PRODUCER_TOKEN: PRODUCER });
  const banner = startupBanner(fromEnv, 'abc123');
  assert.doesNotMatch(banner, new RegExp(`${HOST}|${PRODUCER}`));
  assert.match(banner, /\/host \(HOST_TOKEN from the environment\)/);
  const generated = loadConfig({ HOST_TOKEN: HOST });
  const printed = startupBanner(generated);
  assert.doesNotMatch(printed, new RegExp(HOST));
  assert.match(
    printed,
    new RegExp(`producer#token=${encodeURIComponent(generated.producerToken)}`),
  );
});

test('log lines carry no token, Authorization header, Redis password, LLM key or WHEP session id', async () => {
  const lines: string[] = [];
  const config = loadConfig({
    HOST_TOKEN: HOST,
    PRODUCER_TOKEN: PRODUCER,
    REDIS_URL: 'redis://:Redis-pw-8Jq2Lx9Z@127.0.0.1:6379',
    LLM_URL: 'https://llm.example/v1',
    LLM_MODEL: 'm',
    LLM_API_KEY: 'sk-Zq8Lx2Wm9Tk4Vb7Nc1Hd',
  });
  const app = Fastify({
    logger: loggerOptions('info', configSecrets(config), { write: (line) => lines.push(line) }),
  });
  app.get('/whep/:show/sessions/:id', async (request) => {
    request.log.info(
      { headers: request.headers, sessionId: (request.params as { id: string }).id },
      `host token is ${HOST}`,
    );
    request.log.warn({ err: new Error(`Redis at ${config.redisUrl} is not ready`) }, 'redis');
    request.log.info(
      { llm: { apiKey: config.llm!.apiKey } },
      `calling with Bearer ${config.llm!.apiKey}`,
    );
    return { ok: true };
  });
  const sessionId = 'a'.repeat(8) + '0123456789abcdef0123456789ab'.slice(0, 24);
  const response = await app.inject({
    method: 'GET',
    url: `/whep/show1/sessions/${sessionId}?x=1`,
    headers: { authorization: `Bearer ${PRODUCER}`, cookie: 'onair_board=abc' },
  });
  assert.equal(response.statusCode, 200);
  await app.close();
  const all = lines.join('');
  assert.ok(lines.length >= 4, all);
  for (const secret of [
    HOST,
    PRODUCER,
    'Redis-pw-8Jq2Lx9Z',
    'sk-Zq8Lx2Wm9Tk4Vb7Nc1Hd',
    sessionId,
    'onair_board=abc',
  ])
    assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
  assert.match(
    all,
    /\/whep\/show1\/sessions\/\[REDACTED\]/,
    'the request log keeps the route, not the session id',
  );
  assert.match(all, /"sessionId":"#[0-9a-f]{8}"/, 'a session id field becomes a short hash');
});

test('sandboxed job processes get an allowlisted environment, not the server secrets', () => {
  const env = sandboxEnv(
    { REDIS_URL: 'redis://127.0.0.1:6379', FPS: '30' },
    {
      PATH: '/usr/bin',
      HOME: '/home/x',
      NODE_OPTIONS: '--import tsx',
      HOST_TOKEN: HOST,
      PRODUCER_TOKEN: PRODUCER,
      VIEWER_TOKEN_SECRET: 'v',
      METRICS_TOKEN: 'm',
      LLM_API_KEY: 'k',
      AWS_SECRET_ACCESS_KEY: 'a',
      DATABASE_URL: 'postgres://u:p@h/db',
    },
  );
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HOME: '/home/x',
    NODE_OPTIONS: '--import tsx',
    REDIS_URL: 'redis://127.0.0.1:6379',
    FPS: '30',
  });
  const source = readFileSync(`${ROOT_DIR}/pipeline/jobs/BatchWorkers.ts`, 'utf8');
  assert.doesNotMatch(
    source,
    /\.\.\.process\.env/,
    'BatchWorkers forks with sandboxEnv, never a copy of process.env',
  );
  assert.match(source, /workerForkOptions: \{ env: sandboxEnv\(/);
});

test('an LLM API key is sent only over https, to loopback, or with LLM_ALLOW_INSECURE=true', () => {
  const base = { LLM_MODEL: 'm', LLM_API_KEY: 'sk-key' };
  assert.throws(
    () => llmConfigFromEnv({ ...base, LLM_URL: 'http://llm.internal:8000/v1' }),
    (e: Error & { variable?: string }) => e.variable === 'LLM_URL' && /https/.test(e.message),
  );
  assert.equal(llmConfigFromEnv({ ...base, LLM_URL: 'https://llm.internal/v1' })?.apiKey, 'sk-key');
  for (const host of ['127.0.0.1', 'localhost', '[::1]'])
    assert.ok(llmConfigFromEnv({ ...base, LLM_URL: `http://${host}:8000/v1` }));
  assert.ok(
    llmConfigFromEnv({
      ...base,
      LLM_URL: 'http://llm.internal:8000/v1',
      LLM_ALLOW_INSECURE: 'true',
    }),
  );
  assert.ok(
    llmConfigFromEnv({ LLM_MODEL: 'm', LLM_URL: 'http://llm.internal:8000/v1' }),
    'no key, nothing to leak',
  );
  assert.throws(
    () => llmConfigFromEnv({ ...base, LLM_URL: 'https://x', LLM_ALLOW_INSECURE: 'maybe' }),
    (e: Error & { variable?: string }) => e.variable === 'LLM_ALLOW_INSECURE',
  );
  refuses({ ...base, LLM_URL: 'http://llm.internal:8000/v1' }, 'LLM_URL');
});

test('board sessions are random server-side ids that expire and can be ended', () => {
  const sessions = new BoardSessions(1_000);
  const a = sessions.open('producer', 0);
  const b = sessions.open('producer', 0);
  const h = sessions.open('host', 0);
  assert.notEqual(a.id, b.id);
  assert.ok(a.id.length >= 43);
  assert.equal(sessions.role(a.id, 500), 'producer');
  assert.equal(sessions.role(h.id, 500), 'host');
  assert.equal(sessions.role(a.id, 1_000), undefined, 'expired');
  assert.equal(sessions.role('forged', 0), undefined);
  assert.equal(sessions.endAll('producer'), 1, 'b (a expired and was dropped)');
  assert.equal(sessions.role(b.id, 500), undefined);
  assert.equal(sessions.role(h.id, 500), 'host');
});

test('metrics label a show with a keyed hash, never its id', () => {
  const label = showLabeller();
  assert.equal(label('abcdef123456'), label('abcdef123456'));
  assert.notEqual(label('abcdef123456'), 'abcdef123456');
  assert.notEqual(label('abcdef123456'), showLabeller()('abcdef123456'), 'keyed per process');
});
