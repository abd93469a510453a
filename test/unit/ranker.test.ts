import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { mulberry32 } from '../../lib/prng.js';
import { RankerLogError } from '../../server/decisions/decisionErrors.js';
import { actionProbability, epsilonGreedy } from '../../server/decisions/exploration.js';
import { chooseRanked } from '../../server/decisions/rankedChoice.js';
import { encodeCandidates } from '../../server/decisions/ranker/featureEncoder.js';
import {
  FEATURE_DIMENSION,
  featureIndex,
  PLACEMENT_FEATURES,
} from '../../server/decisions/ranker/featureLayout.js';
import { onnxToRanker } from '../../server/decisions/ranker/onnx/rankerGraph.js';
import { RankerBatcher } from '../../server/decisions/ranker/RankerBatcher.js';
import {
  RANKER_ASSETS_DIR,
  RANKER_VERSIONS,
} from '../../server/decisions/ranker/rankerManifest.js';
import { RankerModel } from '../../server/decisions/ranker/RankerModel.js';
import { scoreRowsReference } from '../../server/decisions/ranker/rankerNetwork.js';
import { randomContext } from '../../server/decisions/ranker/train/contextGenerator.js';
import { auc } from '../../server/decisions/ranker/train/offPolicy.js';
import {
  logsToJsonl,
  parseLogs,
  readLogs,
} from '../../server/decisions/ranker/train/rankerLogs.js';
import {
  DEFAULT_LOGS_FILE,
  SIMULATION,
  trainVersion,
} from '../../server/decisions/ranker/train/rankerTraining.js';
import { simulateLogs } from '../../server/decisions/ranker/train/simulate.js';
import { OverlayCatalog } from '../../server/overlays/OverlayCatalog.js';

const templates = OverlayCatalog.load().templates;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const models = new Map<string, RankerModel>();

before(async () => {
  for (const version of RANKER_VERSIONS)
    models.set(version, await RankerModel.load(path.join(RANKER_ASSETS_DIR, version)));
});
after(async () => {
  for (const model of models.values()) await model.close();
});

test('epsilon-greedy: probabilities sum to 1 over the actions and match what is drawn', () => {
  for (const [actions, epsilon] of [
    [2, 0.05],
    [5, 0.3],
    [8, 1],
  ] as const) {
    for (let greedy = 0; greedy < actions; greedy++) {
      let sum = 0;
      for (let a = 0; a < actions; a++) sum += actionProbability(a, greedy, actions, epsilon);
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  }
  const random = mulberry32(42);
  const counts = new Array<number>(4).fill(0);
  for (let i = 0; i < 40_000; i++) {
    const choice = epsilonGreedy(1, 4, 0.2, random);
    counts[choice.action]!++;
    assert.equal(choice.propensity, actionProbability(choice.action, 1, 4, 0.2));
    assert.equal(choice.explored, choice.action !== 1);
  }
  counts.forEach((c, a) =>
    assert.ok(Math.abs(c / 40_000 - actionProbability(a, 1, 4, 0.2)) < 0.01, `${a}: ${c}`),
  );
  assert.deepEqual(epsilonGreedy(0, 1, 0.5, random), { action: 0, propensity: 1, explored: false });
});

test('exploration is deterministic under a seeded PRNG', () => {
  const draw = (seed: number) => {
    const random = mulberry32(seed);
    return Array.from({ length: 200 }, () => epsilonGreedy(0, 5, 0.3, random).action);
  };
  assert.deepEqual(draw(9), draw(9));
  assert.notDeepEqual(draw(9), draw(10));
});

test('ranked choice: none when the best score is below the bar, never none when forced', () => {
  const two = templates.slice(0, 2);
  const policy = { epsilon: 0, minScoreToShow: 0.05, random: mulberry32(1) };
  assert.equal(
    chooseRanked(two, Float32Array.of(0.01, 0.02), 0, false, policy).template,
    undefined,
  );
  const forced = chooseRanked(two, Float32Array.of(0.01, 0.02), 0, true, policy);
  assert.deepEqual(
    [forced.template?.id, forced.score, forced.propensity],
    [two[1]!.id, Float32Array.of(0.02)[0], 1],
  );
  const offset = chooseRanked(two, Float32Array.of(0.9, 0.9, 0.3, 0.4), 2, false, policy);
  assert.equal(offset.template?.id, two[1]!.id);
});

test('feature encoder: fixed length, one-hots, topic match, placement only in its slots', () => {
  const random = mulberry32(4);
  const context = randomContext(random, templates, { rankerTriggersOnly: true });
  context.show.topic = 'crypto';
  const ledger = templates.find((t) => t.id === 'ledger-card')!;
  const badge = templates.find((t) => t.id === 'newsletter-badge')!;
  const rows = encodeCandidates(context, context.session!, [ledger, badge]);
  assert.equal(rows.length, 2 * FEATURE_DIMENSION);
  const row = (r: number, name: string) => rows[r * FEATURE_DIMENSION + featureIndex(name)];
  assert.equal(row(0, 'topic_matches_show'), 1);
  assert.equal(row(1, 'topic_matches_show'), 0);
  assert.equal(row(0, 'placement=side_card'), 1);
  assert.equal(row(1, 'placement=side_card'), 0);
  assert.equal(row(1, 'placement=badge'), 1);
  assert.equal(row(0, 'template_sponsored'), 1);
  assert.equal(row(1, 'template_sponsored'), 0);
  assert.equal(row(1, `device=${context.join.device}`), 1);
  const placementSum = (r: number) =>
    PLACEMENT_FEATURES.reduce((s, i) => s + rows[r * FEATURE_DIMENSION + i]!, 0);
  assert.deepEqual([placementSum(0), placementSum(1)], [1, 1]);
  assert.ok(rows.every((v) => v >= 0 && v <= 1));
});

test('ONNX (onnxruntime) and the TypeScript forward pass agree within 1e-5', async () => {
  const random = mulberry32(5);
  const rows = new Float32Array(400 * FEATURE_DIMENSION);
  for (let i = 0; i < 100; i++) {
    const context = randomContext(random, templates, { rankerTriggersOnly: true });
    rows.set(
      encodeCandidates(context, context.session!, templates.slice(i % 4, (i % 4) + 4)),
      i * 4 * FEATURE_DIMENSION,
    );
  }
  for (const [version, model] of models) {
    const network = onnxToRanker(readFileSync(path.join(RANKER_ASSETS_DIR, version, 'model.onnx')));
    const expected = scoreRowsReference(network, rows, 400);
    const actual = await model.score(rows, 400);
    let worst = 0;
    expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(e - actual[i]!))));
    assert.ok(worst < 1e-5, `${version}: max |ORT − TS| = ${worst}`);
    assert.ok(actual.every((p) => p > 0 && p < 1));
  }
});

test('the batcher sends the rows of one tick in one call, in order', async () => {
  const calls: number[] = [];
  const batcher = new RankerBatcher({
    version: 'echo',
    dimension: 2,
    score: async (features, rows) => {
      calls.push(rows);
      return Float32Array.from({ length: rows }, (_, r) => features[r * 2]!);
    },
  });
  const far = performance.now() + 10_000;
  const outcomes = await Promise.all([
    batcher.submit(Float32Array.of(0.1, 0, 0.2, 0), 2, far),
    batcher.submit(Float32Array.of(0.3, 0), 1, far),
  ]);
  assert.deepEqual(calls, [3]);
  const [a, b] = outcomes;
  assert.ok(a!.ok && b!.ok);
  assert.equal(a.offset, 0);
  assert.equal(b.offset, 2);
  assert.ok(Math.abs(b.scores[b.offset]! - 0.3) < 1e-7);
});

test('the committed simulated logs are what the seeded simulator writes', () => {
  const committed = gunzipSync(readFileSync(DEFAULT_LOGS_FILE)).toString('utf8');
  const fresh = logsToJsonl(simulateLogs(templates, SIMULATION));
  assert.equal(sha256(Buffer.from(fresh)), sha256(Buffer.from(committed)));
});

test('a fresh training run reproduces both committed models byte for byte', () => {
  const rows = readLogs(DEFAULT_LOGS_FILE);
  const logsName = path.relative(process.cwd(), DEFAULT_LOGS_FILE);
  for (const version of RANKER_VERSIONS) {
    const trained = trainVersion(version, rows, templates, { logsName, simulated: true });
    const committed = readFileSync(path.join(RANKER_ASSETS_DIR, version, 'model.onnx'));
    assert.equal(sha256(trained.onnx), sha256(committed), version);
    const manifest = JSON.parse(
      readFileSync(path.join(RANKER_ASSETS_DIR, version, 'model.json'), 'utf8'),
    ) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(trained.manifest)), manifest);
    const { learned, logging, uniform } = trained.manifest.metrics.policies;
    assert.ok(learned.snips > logging.snips && logging.snips > uniform.snips, version);
    assert.ok(
      trained.manifest.metrics.testAuc > 0.75,
      `${version} AUC ${trained.manifest.metrics.testAuc}`,
    );
  }
});

test('bad training logs get a clear error with a stable code', () => {
  const good = logsToJsonl(simulateLogs(templates, { seed: 3, decisions: 2 }));
  assert.equal(parseLogs(good).length, 2);
  const code = (text: string) => {
    try {
      parseLogs(text);
      return 'accepted';
    } catch (error) {
      assert.ok(error instanceof RankerLogError);
      return error.code;
    }
  };
  const row = JSON.parse(good.split('\n')[0]!) as Record<string, unknown>;
  assert.equal(code('{nope'), 'RANKER_LOG_BAD_JSON');
  assert.equal(code(''), 'RANKER_LOG_EMPTY');
  assert.equal(code(JSON.stringify({ ...row, propensity: 0 })), 'RANKER_LOG_BAD_ROW');
  assert.equal(code(JSON.stringify({ ...row, action: 'elsewhere' })), 'RANKER_LOG_BAD_ROW');
  assert.equal(code(JSON.stringify({ ...row, clicked: 2 })), 'RANKER_LOG_BAD_ROW');
  assert.equal(code(JSON.stringify({ ...row, context: { join: {} } })), 'RANKER_LOG_BAD_ROW');
  assert.throws(
    () => readLogs('/nonexistent/logs.jsonl'),
    (e: RankerLogError) => e.code === 'RANKER_LOG_UNREADABLE',
  );
});

test('AUC by ranks', () => {
  assert.equal(auc([0.1, 0.9], [0, 1]), 1);
  assert.equal(auc([0.9, 0.1], [0, 1]), 0);
  assert.equal(auc([0.5, 0.5], [0, 1]), 0.5);
});
