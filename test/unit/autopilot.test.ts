import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Autopilot,
  type AutopilotOptions,
  type AutopilotStage,
  type LineOutcome,
} from '../../pipeline/rundown/Autopilot.js';
import { validateRundown } from '../../pipeline/rundown/validateRundown.js';
import { waitUntil } from '../helpers/batch.js';

const rundown = (extra: Record<string, unknown> = {}) =>
  validateRundown(
    {
      linePauseMs: 600,
      segmentPauseMs: 1500,
      data: { w: { url: 'https://feeds.example.com/w.json' } },
      segments: [
        {
          id: 'a',
          title: 'A',
          talkingPoints: ['first'],
          lines: { en: ['A one.', 'A two.'], es: ['A uno.'] },
          poll: {
            question: 'Next?',
            options: [{ label: 'C', next: 'c' }, { label: 'B' }],
            durationMs: 5_000,
          },
        },
        { id: 'b', title: 'B', lines: { en: ['B one.'] } },
        { id: 'c', title: 'C', lines: { en: ['C one.', 'It is {{w.sky}}.', 'C three.'] } },
      ],
      ...extra,
    },
    { ctaExists: () => true, feedUrlAllowed: () => true },
  );

/** A stage that logs what the autopilot does; `hold` keeps lines on air until `release`. */
class FakeStage implements AutopilotStage {
  readonly log: string[] = [];
  hold = false;
  winner: number | undefined = 0;
  questions: string[] = [];
  data_: Record<string, unknown> = {};
  outcome: LineOutcome = 'done';
  private held: Array<() => void> = [];

  say(
    line: { text: string; offer?: { word: string; cta: string } },
    language: string,
    signal: AbortSignal,
  ): Promise<LineOutcome> {
    this.log.push(`say:${language}:${line.text}`);
    if (!this.hold) return Promise.resolve(this.outcome);
    return new Promise((resolve) => {
      const release = () => resolve('done');
      this.held.push(release);
      signal.addEventListener(
        'abort',
        () => ((this.held = this.held.filter((r) => r !== release)), resolve('left')),
        { once: true },
      );
    });
  }
  async prompt(prompt: string, segment: { title: string }): Promise<LineOutcome> {
    this.log.push(`prompt:${prompt}@${segment.title}`);
    return 'done';
  }
  async poll(poll: { question: string }): Promise<number | undefined> {
    this.log.push(`poll:${poll.question}`);
    return this.winner;
  }
  async answerQuestion(segment: { title: string }): Promise<LineOutcome | undefined> {
    const question = this.questions.shift();
    if (!question) return undefined;
    this.log.push(`answer:${question}@${segment.title}`);
    return 'done';
  }
  async data(feed: string): Promise<unknown> {
    return this.data_[feed];
  }
  release(): void {
    this.held.shift()?.();
  }
  get says(): string[] {
    return this.log.filter((l) => l.startsWith('say:'));
  }
}

/** A fake clock: pauses are recorded and pass at once. */
function fakeSleep(slept: number[]) {
  return async (ms: number) => {
    slept.push(ms);
  };
}

/** The test rundown in English on `stage`, on the fake clock. */
const autopilotOn = (stage: AutopilotStage, options: Partial<AutopilotOptions> = {}) =>
  new Autopilot({ rundown: rundown(), language: 'en', stage, sleep: fakeSleep([]), ...options });

test('plays lines in order with natural pauses, runs the poll, follows its winner, takes a question between segments', async () => {
  const stage = new FakeStage();
  stage.questions.push('Is it live?');
  stage.data_.w = { sky: 'clear' };
  const slept: number[] = [];
  const autopilot = autopilotOn(stage, { sleep: fakeSleep(slept) });
  const segments: string[] = [];
  autopilot.on('segment', (_i, s) => segments.push(s.id));
  await autopilot.done;
  assert.equal(autopilot.state, 'finished');
  assert.deepEqual(stage.log, [
    'say:en:A one.',
    'say:en:A two.',
    'poll:Next?',
    'answer:Is it live?@A',
    'say:en:C one.',
    'say:en:It is clear.',
    'say:en:C three.',
  ]);
  assert.deepEqual(segments, ['a', 'c'], 'the poll winner chose segment c');
  assert.deepEqual(slept, [600, 600, 1500, 600, 600, 600]);
});

test('a poll without votes goes on with the next segment; lines of another language are its own', async () => {
  const stage = new FakeStage();
  stage.winner = undefined;
  const autopilot = autopilotOn(stage, { language: 'es' });
  await autopilot.done;
  assert.deepEqual(stage.log, ['say:es:A uno.', 'poll:Next?']);
});

test('a data line whose feed has no value is skipped, and the show goes on', async () => {
  const stage = new FakeStage();
  const autopilot = autopilotOn(stage, { from: { segment: 2, line: 0, polled: false } });
  const skipped: number[] = [];
  autopilot.on('skipped', (_s, line) => skipped.push(line));
  await autopilot.done;
  assert.deepEqual(stage.says, ['say:en:C one.', 'say:en:C three.']);
  assert.deepEqual(skipped, [1]);
});

test('an interrupted line is followed by the next one', async () => {
  const stage = new FakeStage();
  stage.outcome = 'interrupted';
  const outcomes: LineOutcome[] = [];
  const autopilot = autopilotOn(stage, { from: { segment: 1, line: 0, polled: false } });
  autopilot.on('line', (_s, _l, _t, outcome) => outcomes.push(outcome));
  await autopilot.done;
  assert.deepEqual(stage.says, ['say:en:B one.', 'say:en:C one.', 'say:en:C three.']);
  assert.deepEqual(outcomes, ['interrupted', 'interrupted', 'interrupted']);
});

test('pause stops after the line on air; resume goes on from the next line', async () => {
  const stage = new FakeStage();
  stage.hold = true;
  const autopilot = autopilotOn(stage);
  await waitUntil(async () => stage.says.length === 1, 2_000, 'the first line');
  autopilot.pause();
  assert.equal(autopilot.state, 'paused');
  stage.release();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(stage.says, ['say:en:A one.'], 'nothing more while paused');
  assert.deepEqual(autopilot.view().position, { segment: 0, line: 1, polled: false });
  autopilot.resume();
  await waitUntil(async () => stage.says.length === 2, 2_000, 'the second line');
  assert.equal(stage.says[1], 'say:en:A two.');
  autopilot.stop();
  stage.release();
  await autopilot.done;
  assert.equal(autopilot.state, 'stopped');
  assert.throws(() => autopilot.resume(), { code: 'AUTOPILOT_NOT_RUNNING' });
});

test('skip and jump move on at once; the line on air plays out', async () => {
  const stage = new FakeStage();
  stage.hold = true;
  const autopilot = autopilotOn(stage);
  const outcomes: LineOutcome[] = [];
  autopilot.on('line', (_s, _l, _t, outcome) => outcomes.push(outcome));
  await waitUntil(async () => stage.says.length === 1, 2_000, 'the first line');
  autopilot.skip();
  await waitUntil(async () => stage.says.length === 2, 2_000, 'the next segment');
  assert.equal(stage.says[1], 'say:en:B one.');
  assert.equal(outcomes[0], 'left', 'the autopilot stopped waiting for the skipped line');
  autopilot.jump('c');
  await waitUntil(async () => stage.says.length === 3, 2_000, 'the jump');
  assert.equal(stage.says[2], 'say:en:C one.');
  assert.throws(() => autopilot.jump('nope'), { code: 'RUNDOWN_SEGMENT_NOT_FOUND' });
  stage.hold = false;
  stage.release();
  await autopilot.done;
  assert.deepEqual(
    stage.says.slice(3),
    ['say:en:C three.'],
    'the data line has no data and is skipped',
  );
});

test('inserted lines and prompts go next, even while paused; then the rundown goes on from where it was', async () => {
  const stage = new FakeStage();
  stage.hold = true;
  const autopilot = autopilotOn(stage);
  await waitUntil(async () => stage.says.length === 1, 2_000, 'the first line');
  autopilot.pause();
  autopilot.insert({ text: 'Breaking news.' });
  autopilot.insert({ prompt: 'Say hello to Lima' });
  assert.equal(autopilot.view().inserts, 2);
  stage.release();
  await waitUntil(async () => stage.log.length === 2, 2_000, 'the insert');
  assert.equal(stage.log[1], 'say:en:Breaking news.');
  stage.release();
  await waitUntil(async () => stage.log.length === 3, 2_000, 'the prompt');
  assert.equal(stage.log[2], 'prompt:Say hello to Lima@A', 'a prompt gets the segment on air');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(stage.log.length, 3, 'still paused');
  stage.hold = false;
  autopilot.resume();
  await waitUntil(async () => stage.log.length >= 4, 2_000, 'the rundown again');
  assert.equal(stage.log[3], 'say:en:A two.');
  autopilot.stop();
  await autopilot.done;
  assert.throws(() => autopilot.insert({ text: 'late' }), { code: 'AUTOPILOT_NOT_RUNNING' });
});

test('at most ten inserts wait', () => {
  const stage = new FakeStage();
  stage.hold = true;
  const autopilot = autopilotOn(stage, { paused: true });
  for (let i = 0; i < 10; i++) autopilot.insert({ text: `Line ${i}.` });
  assert.throws(() => autopilot.insert({ text: 'One more.' }), { code: 'CUE_QUEUE_FULL' });
  autopilot.stop();
});
