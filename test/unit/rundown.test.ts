import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fillSlots,
  MAX_SLOT_VALUE_CHARS,
  parseSlots,
} from '../../pipeline/rundown/slotTemplate.js';
import { validateRundown, type RundownChecks } from '../../pipeline/rundown/validateRundown.js';
import { languageOf, RUNDOWN_LIMITS } from '../../pipeline/rundown/Rundown.js';
import { loadPersonas } from '../../pipeline/persona/index.js';
import { MAX_SHOW_PREP_CHILDREN } from '../../pipeline/jobs/payloads.js';
import {
  clipLines,
  clipName,
  MAX_PREP_CLIPS,
  MOST_PREP_JOBS,
  preppedLines,
} from '../../server/rundown/rundownPrep.js';

const checks: RundownChecks = {
  ctaExists: (id) => id === 'summer-sale',
  feedUrlAllowed: (url) => url.hostname === 'feeds.example.com',
};

const good = () => ({
  title: 'Morning',
  data: { weather: { url: 'https://feeds.example.com/weather.json', refreshMs: 5_000 } },
  segments: [
    {
      id: 'intro',
      title: 'Welcome',
      talkingPoints: ['who we are'],
      lines: {
        en: [
          'Welcome to the show.',
          { text: 'Grab the deal today.', offer: { word: 'deal', cta: 'summer-sale' } },
          'Today it is {{weather.today.summary}}.',
        ],
        es: ['Bienvenidos al programa.'],
      },
      poll: {
        question: 'Cats or dogs?',
        options: [{ label: 'Cats', next: 'outro' }, { label: 'Dogs' }],
        durationMs: 10_000,
      },
    },
    { id: 'outro', title: 'Goodbye', lines: { en: ['See you tomorrow.'] } },
  ],
});

const codeOf = (input: unknown): string => {
  try {
    validateRundown(input, checks);
    return 'valid';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

const withSegment = (segment: Record<string, unknown>) => ({
  ...good(),
  segments: [{ ...good().segments[0], ...segment }, good().segments[1]],
});

test('a good rundown is normalized: languages, default ids and pauses, slots and offers', () => {
  const rundown = validateRundown(
    { ...good(), segments: [...good().segments, { title: 'No id' }] },
    checks,
  );
  assert.deepEqual(rundown.languages, ['en', 'es']);
  assert.equal(rundown.segments[2]!.id, 's3');
  assert.equal(rundown.linePauseMs, 600);
  const [, offer, data] = rundown.segments[0]!.lines.en!;
  assert.deepEqual(offer!.offer, { word: 'deal', cta: 'summer-sale' });
  assert.deepEqual(data!.slots, ['weather.today.summary']);
  assert.deepEqual(rundown.segments[0]!.poll!.options[0], { label: 'Cats', next: 'outro' });
});

test('each bad rundown gets its own stable code', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [], 'RUNDOWN_INVALID'],
    ['no segments', { segments: [] }, 'RUNDOWN_INVALID'],
    ['unknown field', { ...good(), extra: 1 }, 'RUNDOWN_INVALID'],
    ['bad language code', withSegment({ lines: { english: ['Hi.'] } }), 'RUNDOWN_INVALID'],
    [
      'duplicate segment ids',
      {
        segments: [
          { id: 'a', title: 'A' },
          { id: 'a', title: 'B' },
        ],
      },
      'RUNDOWN_INVALID',
    ],
    [
      'poll goes to an unknown segment',
      withSegment({
        poll: {
          question: 'Q?',
          options: [{ label: 'A', next: 'nowhere' }, { label: 'B' }],
          durationMs: 10_000,
        },
      }),
      'RUNDOWN_INVALID',
    ],
    [
      'poll too short',
      withSegment({
        poll: { question: 'Q?', options: [{ label: 'A' }, { label: 'B' }], durationMs: 10 },
      }),
      'RUNDOWN_INVALID',
    ],
    ['control characters in a title', withSegment({ title: 'A\u202eB' }), 'RUNDOWN_INVALID'],
    [
      'unknown CTA',
      withSegment({
        lines: { en: [{ text: 'A deal.', offer: { word: 'deal', cta: 'no-such-cta' } }] },
      }),
      'RUNDOWN_UNKNOWN_CTA',
    ],
    [
      'offer word not in the line',
      withSegment({
        lines: { en: [{ text: 'Hello.', offer: { word: 'deal', cta: 'summer-sale' } }] },
      }),
      'OFFER_WORD_NOT_IN_TEXT',
    ],
    [
      'offer word only inside a slot',
      withSegment({
        lines: {
          en: [{ text: 'It is {{weather.deal}}.', offer: { word: 'deal', cta: 'summer-sale' } }],
        },
      }),
      'OFFER_WORD_NOT_IN_TEXT',
    ],
    [
      'data URL on another host',
      { ...good(), data: { weather: { url: 'http://169.254.169.254/latest/meta-data' } } },
      'RUNDOWN_DATA_URL_NOT_ALLOWED',
    ],
    [
      'data URL not http',
      { ...good(), data: { weather: { url: 'file:///etc/passwd' } } },
      'RUNDOWN_DATA_URL_NOT_ALLOWED',
    ],
    [
      'data URL with credentials',
      { ...good(), data: { weather: { url: 'https://u:p@feeds.example.com/w.json' } } },
      'RUNDOWN_DATA_URL_NOT_ALLOWED',
    ],
    [
      'huge line',
      withSegment({ lines: { en: ['x'.repeat(RUNDOWN_LIMITS.lineChars + 1)] } }),
      'RUNDOWN_TOO_LARGE',
    ],
    [
      'too many lines',
      withSegment({
        lines: { en: Array.from({ length: RUNDOWN_LIMITS.linesPerSegment + 1 }, () => 'Hi.') },
      }),
      'RUNDOWN_TOO_LARGE',
    ],
    [
      'too many segments',
      {
        segments: Array.from({ length: RUNDOWN_LIMITS.segments + 1 }, (_, i) => ({
          title: `S${i}`,
        })),
      },
      'RUNDOWN_TOO_LARGE',
    ],
    [
      '{{constructor}}',
      withSegment({ lines: { en: ['Hi {{weather.constructor}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    [
      '{{__proto__}}',
      withSegment({ lines: { en: ['Hi {{weather.__proto__.x}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    [
      'bare {{constructor}}',
      withSegment({ lines: { en: ['Hi {{constructor}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    [
      'expression in a slot',
      withSegment({ lines: { en: ['Hi {{weather.a + 1}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    [
      'nested braces',
      withSegment({ lines: { en: ['Hi {{weather.{{x}}}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
    [
      'slot of an undeclared feed',
      withSegment({ lines: { en: ['Hi {{stocks.acme}}.'] } }),
      'RUNDOWN_TEMPLATE_INVALID',
    ],
  ];
  for (const [what, input, code] of cases) assert.equal(codeOf(input), code, what);
  assert.equal(codeOf(good()), 'valid');
});

test('a feed named __proto__ is refused, not merged into the prototype', () => {
  const input = JSON.parse(
    '{"data": {"__proto__": {"url": "https://feeds.example.com/x"}}, "segments": [{"title": "A"}]}',
  ) as unknown;
  assert.equal(codeOf(input), 'RUNDOWN_INVALID');
});

test('the slot filler reads own JSON data only, stringifies and bounds values, and never expands twice', () => {
  const data = JSON.parse(
    '{"w": {"today": "sunny", "temp": 21.5, "list": ["a", "b"], "obj": {}, "nul": null, "long": "' +
      'y'.repeat(500) +
      '", "evil": "{{w.today}}", "ctl": "a\\u0000b\\u202ec"}}',
  ) as Record<string, unknown>;
  assert.equal(
    fillSlots('It is {{w.today}}, {{w.temp}} degrees.', data),
    'It is sunny, 21.5 degrees.',
  );
  assert.equal(fillSlots('{{w.list.1}}', data), 'b');
  assert.equal(fillSlots('{{w.list.2}}', data), undefined, 'out of range');
  assert.equal(fillSlots('{{w.list.length}}', data), undefined, 'an array has indexes only');
  assert.equal(fillSlots('{{w.obj}}', data), undefined, 'an object is not a value');
  assert.equal(fillSlots('{{w.nul}}', data), undefined);
  assert.equal(fillSlots('{{w.missing}}', data), undefined);
  assert.equal(fillSlots('{{w.today.length}}', data), undefined, 'no property of a string');
  assert.equal(fillSlots('{{w.toString}}', data), undefined, 'nothing inherited');
  assert.equal(fillSlots('{{w.long}}', data)!.length, MAX_SLOT_VALUE_CHARS);
  assert.equal(fillSlots('{{w.evil}}', data), '{{w.today}}', 'a value is spoken as it is');
  assert.equal(fillSlots('{{w.ctl}}', data), 'a b c');
  assert.equal(fillSlots('No slots.', {}), 'No slots.');
  assert.deepEqual(parseSlots('{{a.b}} and {{c.d.0}}'), ['a.b', 'c.d.0']);
});

test('show prep renders clips of the first static lines: no data lines, one per text and voice, languages taking turns, bounded', async () => {
  const personas = loadPersonas();
  const voiceFor = (language: string) =>
    personas.list().find((p) => languageOf(p.language) === language)!;
  const rundown = validateRundown(
    {
      data: { weather: { url: 'https://feeds.example.com/weather.json' } },
      segments: [
        {
          title: 'Open',
          lines: {
            en: ['Welcome.', 'Today it is {{weather.today}}.', 'Welcome.'],
            es: ['Bienvenidos.'],
          },
        },
        { title: 'Close', lines: { en: ['Goodbye.'], es: ['Adiós.'] } },
      ],
    },
    checks,
  );
  const lines = await preppedLines(rundown, voiceFor, async () => ({ today: 'sunny' }));
  assert.deepEqual(
    clipLines(lines).map((line) => [line.segment, line.language, line.text, clipName(line)]),
    [
      [0, 'en', 'Welcome.', 'rundown-s1-en-1'],
      [0, 'es', 'Bienvenidos.', 'rundown-s1-es-1'],
      [1, 'en', 'Goodbye.', 'rundown-s2-en-1'],
      [1, 'es', 'Adiós.', 'rundown-s2-es-1'],
    ],
    'the data line is voiced at prep but rendered live; the repeated line is one clip',
  );
  assert.equal(clipLines(lines, 2).length, 2);
  assert.ok(clipLines(lines).every((line) => /^[a-z0-9][a-z0-9-]{0,39}$/.test(clipName(line))));

  // The biggest rundown: 4 languages of 200 lines; its prep fits one show-prep flow.
  const big = validateRundown(
    {
      segments: Array.from({ length: 10 }, (_, s) => ({
        title: `S${s}`,
        lines: Object.fromEntries(
          ['en', 'es', 'fr', 'de'].map((l) => [
            l,
            Array.from({ length: 20 }, (_, i) => `Line ${s} ${i} ${l}.`),
          ]),
        ),
      })),
    },
    checks,
  );
  const bigLines = big.segments.flatMap((segment, s) =>
    Object.entries(segment.lines).flatMap(([language, list]) =>
      list.map((line, i) => ({
        segment: s,
        line: i,
        language,
        persona: personas.list()[0]!,
        text: line.text,
        data: false,
      })),
    ),
  );
  assert.equal(clipLines(bigLines).length, MAX_PREP_CLIPS);
  assert.ok(MOST_PREP_JOBS <= MAX_SHOW_PREP_CHILDREN, `${MOST_PREP_JOBS} jobs`);
});
