import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { INTENTS } from '../../pipeline/intent/intents.js';
import { loadPersonas, type Persona } from '../../pipeline/persona/index.js';
import {
  buildScriptAudit,
  llmConfigFromEnv,
  LlmConfigError,
  loadPolicy,
  loadTemplates,
  parsePolicy,
  parseTemplates,
  PolicyFilter,
  ScriptAbortedError,
  ScriptConfigError,
  ScriptStage,
  TemplateNotFoundError,
  TemplateScripter,
  TemplateSlotMissingError,
  type ShowContext,
} from '../../pipeline/script/index.js';
import { SentenceSplitter, splitSentences } from '../../pipeline/text/sentences.js';

const personas = loadPersonas();
const ava = personas.get('ava'); // en-US, warm
const lucia = personas.get('lucia'); // es-ES, energetic
const marcus = personas.get('marcus'); // en-GB, formal
const templates = loadTemplates();
const scripter = new TemplateScripter(templates);
const policy = new PolicyFilter(loadPolicy());
const SEEDS = Array.from({ length: 64 }, (_, i) => i);

test('the shipped templates cover every intent but off_policy, in English and Spanish', () => {
  for (const intent of INTENTS) {
    for (const language of ['en', 'es'] as const) {
      const variants = templates.variants(intent, 'default', language);
      if (intent === 'off_policy') assert.equal(variants.length, 0);
      else assert.ok(variants.length >= 2, `${intent}.default.${language}`);
    }
  }
});

test('templates follow the persona language and tone, falling back to the default tone', () => {
  const en = scripter.generate('greet', ava, {}, 1);
  assert.match(en.templateId, /^greet\.warm\.en\./);
  assert.equal(en.source, 'template');
  const es = scripter.generate('greet', lucia, {}, 1);
  assert.match(es.templateId, /^greet\.energetic\.es\./);
  assert.match(es.text, /Directo Tech/);
  assert.match(scripter.generate('greet', marcus, {}, 1).templateId, /^greet\.formal\.en\./);
  const fallback = scripter.generate('sign_off', lucia, {}, 1);
  assert.match(fallback.templateId, /^sign_off\.default\.es\./);
  assert.ok(/Gracias|Esto|¡/.test(fallback.text), fallback.text);
});

test('slots are filled as plain text: controls stripped, whitespace collapsed, length capped', () => {
  const context: ShowContext = { topic: 'the\u0000 new\t\tlens\u0007  kit' };
  for (const seed of SEEDS) {
    const { text } = scripter.generate('introduce_topic', ava, context, seed);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    assert.doesNotMatch(text, /[\u0000-\u001f]/);
    if (text.includes('lens')) assert.match(text, /the new lens kit/);
  }
  const long = scripter.generate('introduce_topic', marcus, { topic: 'x '.repeat(400) }, 0).text;
  assert.ok(long.length < 200, `capped: ${long.length}`);
});

test('markup and braces in slot values are spoken as text, never interpreted', () => {
  const question = {
    text: '<b>Does</b> it ship {topic} & <script>x</script>?',
    viewerConsented: false,
  };
  // An answer states a fact of the show (docs/knowledge.md); some variants quote the question too.
  const facts = [{ id: 'f1', text: 'It ships in 3 days.' }];
  const texts = SEEDS.map(
    (seed) =>
      scripter.generate('answer_question', ava, { topic: 'lenses', question, facts }, seed).text,
  );
  const quoted = texts.filter((t) => t.includes('<b>Does</b>'));
  assert.ok(quoted.length > 0, 'some variant quotes the question');
  for (const text of quoted) assert.ok(text.includes('{topic} & <script>x</script>?'), text);
});

test("the viewer's name is used only with consent", () => {
  const named = (consented: boolean) =>
    SEEDS.map(
      (seed) =>
        scripter.generate(
          'answer_question',
          ava,
          {
            question: {
              text: 'Do you ship to Spain?',
              viewerName: 'Maria',
              viewerConsented: consented,
            },
            facts: [{ id: 'f1', text: 'We ship to Spain.' }],
          },
          seed,
        ).text,
    );
  assert.ok(named(false).every((t) => !t.includes('Maria')));
  assert.ok(named(true).some((t) => t.includes('Maria')));
});

test('the seed picks the variant deterministically', () => {
  const ids = SEEDS.map((seed) => scripter.generate('small_talk', ava, {}, seed).templateId);
  assert.deepEqual(
    SEEDS.map((seed) => scripter.generate('small_talk', ava, {}, seed).templateId),
    ids,
  );
  assert.equal(
    scripter.generate('small_talk', ava, {}, 'cue-42').templateId,
    scripter.generate('small_talk', ava, {}, 'cue-42').templateId,
  );
  assert.ok(new Set(ids).size >= 2, 'seeds spread over variants');
});

test('a missing slot value falls back to a variant without it; none left is a named error', () => {
  for (const seed of SEEDS) {
    const line = scripter.generate('introduce_topic', marcus, {}, seed);
    // Formal variants need {topic} or {segment}; without a topic, segment or episode title the
    // line names the show's brand rather than saying nothing ("Let's get into today's topic").
    assert.equal(line.templateId, 'introduce_topic.default.en.g', 'formal variants need {topic}');
    assert.match(line.text, /Welcome back to /);
    assert.doesNotMatch(line.text, /\{|\}/);
  }
  assert.throws(
    () => scripter.generate('poll_result', ava, {}, 0),
    (err: unknown) =>
      err instanceof TemplateSlotMissingError &&
      err.code === 'SCRIPT_SLOT_MISSING' &&
      err.missing.includes('pollWinner'),
  );
  assert.throws(() => scripter.generate('off_policy', ava, {}, 0), TemplateNotFoundError);
  const french: Persona = { ...ava, language: 'fr-FR' };
  assert.throws(
    () => scripter.generate('greet', french, {}, 0),
    (err: unknown) =>
      err instanceof TemplateNotFoundError && err.code === 'SCRIPT_TEMPLATE_MISSING',
  );
});

test('the templates loader names the bad place', () => {
  const bad = (json: unknown, path: string, reason: RegExp) =>
    assert.throws(
      () => parseTemplates(json, 't.json'),
      (err: unknown) =>
        err instanceof ScriptConfigError &&
        err.code === 'SCRIPT_CONFIG_INVALID' &&
        err.path === path &&
        reason.test(err.reason),
    );
  bad(
    { greet: { default: { en: { a: 'Hi {price}!' } } } },
    'greet.default.en.a',
    /unknown slot \{price\}/,
  );
  bad({ greeting: {} }, 'greeting', /unknown intent/);
  bad({ greet: { shouty: {} } }, 'greet.shouty', /expected one of/);
  bad({ greet: { default: { fr: { a: 'Salut' } } } }, 'greet.default.fr', /expected one of/);
  bad({ greet: { default: { en: {} } } }, 'greet.default.en', /at least one variant/);
  bad({ greet: { default: { en: { a: 42 } } } }, 'greet.default.en.a', /expected a string/);
  bad({ off_policy: { default: { en: { a: 'No.' } } } }, 'off_policy', /refused upstream/);
  const dir = mkdtempSync(join(tmpdir(), 'onair-script-'));
  writeFileSync(join(dir, 'broken.json'), '{ "greet": ');
  assert.throws(
    () => loadTemplates(join(dir, 'broken.json')),
    (err: unknown) => err instanceof ScriptConfigError && /invalid JSON/.test(err.reason),
  );
});

test('banned terms block, case-, diacritic- and whitespace-insensitive, whole words only', () => {
  const blocked = policy.check('That idea is ESTUPIDO, honestly.', { intent: 'small_talk' });
  assert.deepEqual(blocked, { decision: 'block', text: '', rulesFired: ['banned:insult'] });
  assert.equal(
    policy.check('We promise Guaranteed\n  Returns!', { intent: 'promote_offer' }).decision,
    'block',
  );
  assert.equal(
    policy.check('Una cura milagrosa.', { intent: 'explain', language: 'es' }).rulesFired[0],
    'banned:health-claim',
  );
  const allowed = policy.check('No stupidity here, only idiotproof gear.', {
    intent: 'small_talk',
  });
  assert.deepEqual(allowed, {
    decision: 'allow',
    text: 'No stupidity here, only idiotproof gear.',
    rulesFired: [],
  });
});

test('sponsor reads end with the sponsor disclosure', () => {
  const amended = policy.check('Thanks to Acme for the show.', {
    intent: 'sponsor_read',
    sponsor: 'Acme',
  });
  assert.equal(amended.decision, 'amend');
  assert.equal(amended.text, 'Thanks to Acme for the show. Sponsored by Acme.');
  assert.deepEqual(amended.rulesFired, ['disclaimer:sponsor-disclosure']);
  const already = policy.check('Thanks to Acme. Sponsored by Acme.', {
    intent: 'sponsor_read',
    sponsor: 'Acme',
  });
  assert.equal(already.decision, 'allow');
  const midLine = policy.check('Sponsored by Acme. Thanks!', {
    intent: 'sponsor_read',
    sponsor: 'Acme',
  });
  assert.match(midLine.text, /Thanks! Sponsored by Acme\.$/);
  const es = policy.check('Gracias a Acme.', {
    intent: 'sponsor_read',
    sponsor: 'Acme',
    language: 'es',
  });
  assert.equal(es.text, 'Gracias a Acme. Patrocinado por Acme.');
  const anonymous = policy.check('Thanks to our sponsor.', { intent: 'sponsor_read' });
  assert.deepEqual(anonymous, {
    decision: 'block',
    text: '',
    rulesFired: ['sponsor-disclosure:no-sponsor'],
  });
});

test('regional offer disclaimers and the length cap', () => {
  const eu = policy.check('Half price today.', { intent: 'promote_offer', region: 'eu' });
  assert.equal(eu.text, 'Half price today. Prices include VAT; terms apply.');
  assert.deepEqual(eu.rulesFired, ['disclaimer:eu-price-disclaimer']);
  const euSponsored = policy.check('Half price today.', {
    intent: 'promote_offer',
    region: 'EU',
    sponsor: 'Acme',
  });
  assert.equal(
    euSponsored.text,
    'Half price today. Prices include VAT; terms apply. Sponsored by Acme.',
  );
  const present = policy.check('Prices include VAT; terms apply. Half price!', {
    intent: 'promote_offer',
    region: 'EU',
  });
  assert.equal(present.decision, 'allow');
  assert.equal(
    policy.check('Half price today.', { intent: 'promote_offer', region: 'US' }).text,
    'Half price today. Terms and conditions apply.',
  );
  assert.equal(
    policy.check('Half price today.', { intent: 'greet', region: 'EU' }).decision,
    'allow',
  );

  const long = `${'Really great lens deal '.repeat(40)}end.`;
  const capped = policy.check(long, { intent: 'sponsor_read', sponsor: 'Acme' });
  assert.equal(capped.decision, 'amend');
  assert.deepEqual(capped.rulesFired.sort(), ['disclaimer:sponsor-disclosure', 'length-cap']);
  assert.ok([...capped.text].length <= policy.rules.maxChars, `${capped.text.length}`);
  assert.match(
    capped.text,
    /deal… Sponsored by Acme\.$|lens… Sponsored by Acme\.$|great… Sponsored by Acme\.$|Really… Sponsored by Acme\.$/,
  );
});

test('the policy loader names the bad place', () => {
  const rules = { maxChars: 300, bannedTerms: {}, disclaimers: {} };
  const bad = (json: unknown, path: string) =>
    assert.throws(
      () => parsePolicy(json, 'p.json'),
      (err: unknown) => err instanceof ScriptConfigError && err.path === path,
    );
  bad({ ...rules, extra: 1 }, 'extra');
  bad({ ...rules, maxChars: 5 }, 'maxChars');
  bad({ ...rules, bannedTerms: { damn: 'Bad Category' } }, 'bannedTerms.damn');
  bad(
    { ...rules, disclaimers: { x: { intent: 'nope', placement: 'end', en: 'a', es: 'b' } } },
    'disclaimers.x.intent',
  );
  bad(
    {
      ...rules,
      disclaimers: { x: { intent: 'greet', placement: 'end', en: 'By {offer}.', es: 'b' } },
    },
    'disclaimers.x.en',
  );
  assert.deepEqual(parsePolicy(rules, 'p.json'), {
    maxChars: 300,
    bannedTerms: [],
    disclaimers: [],
  });
});

test('sentences split on . ! ? … and Spanish marks, not on abbreviations, initials or decimals', () => {
  const text =
    'Dr. Smith paid 3.5 euros. Wow! ¿Qué tal? ¡Genial!… The U.S. team won. La Sra. García llegó. Fin';
  const expected = [
    'Dr. Smith paid 3.5 euros.',
    'Wow!',
    '¿Qué tal?',
    '¡Genial!…',
    'The U.S. team won.',
    'La Sra. García llegó.',
    'Fin',
  ];
  assert.deepEqual(splitSentences(text).map((s) => s.text), expected);
  const splitter = new SentenceSplitter();
  const byChar = [...text].flatMap((ch) => splitter.push(ch));
  assert.deepEqual([...byChar, splitter.flush()], expected, 'chunking does not change the split');
  assert.deepEqual(
    new SentenceSplitter().push('Hello there.'),
    [],
    'the end of the buffer waits for the next character',
  );
});

test('llmConfigFromEnv validates and names the variable', () => {
  assert.equal(llmConfigFromEnv({}), undefined);
  assert.deepEqual(
    llmConfigFromEnv({
      LLM_URL: 'http://127.0.0.1:8080/v1',
      LLM_MODEL: 'llama',
      LLM_BUDGET_MS: '900',
      LLM_API_KEY: 'k',
    }),
    {
      url: 'http://127.0.0.1:8080/v1',
      model: 'llama',
      apiKey: 'k',
      budgetMs: 900,
    },
  );
  const named = (env: Record<string, string>, variable: string) =>
    assert.throws(
      () => llmConfigFromEnv(env),
      (err: unknown) =>
        err instanceof LlmConfigError &&
        err.variable === variable &&
        err.code === 'LLM_CONFIG_INVALID',
    );
  named({ LLM_URL: 'not a url', LLM_MODEL: 'm' }, 'LLM_URL');
  named({ LLM_URL: 'ftp://x/v1', LLM_MODEL: 'm' }, 'LLM_URL');
  named({ LLM_URL: 'http://x/v1' }, 'LLM_MODEL');
  named({ LLM_URL: 'http://x/v1', LLM_MODEL: 'm', LLM_BUDGET_MS: '1.5s' }, 'LLM_BUDGET_MS');
  named({ LLM_URL: 'http://x/v1', LLM_MODEL: 'm', LLM_BUDGET_MS: '10' }, 'LLM_BUDGET_MS');
});

const stage = new ScriptStage({ templates: scripter, policy, now: () => 1_000 });
const classified = (intent: (typeof INTENTS)[number], confidence: number) => ({
  intent,
  confidence,
  version: 'intent-v3',
});

test('off_policy is refused: nothing spoken, the refusal audited', async () => {
  const outcome = await stage
    .run({ classified: classified('off_policy', 0.99), persona: ava, context: {}, traceId: 't1' })
    .collect();
  assert.equal(outcome.status, 'refused');
  assert.deepEqual(outcome.sentences, []);
  assert.deepEqual(outcome.audits, [
    {
      traceId: 't1',
      intent: 'off_policy',
      intentConfidence: 0.99,
      modelVersion: 'intent-v3',
      source: 'hold',
      rulesFired: ['refused:off_policy'],
      decision: 'block',
      text: '',
      at: 1_000,
    },
  ]);
});

test('a confident intent takes the template fast path, sentence by sentence, policy-checked', async () => {
  const run = stage.run({
    classified: classified('sponsor_read', 0.9),
    persona: ava,
    context: { offer: { name: 'Kit', sponsor: 'Acme' } },
    seed: 0,
    traceId: 't2',
  });
  const sentences: string[] = [];
  for await (const sentence of run) sentences.push(sentence);
  const outcome = await run.outcome;
  assert.equal(outcome.path, 'template');
  assert.equal(outcome.fallback, 'none');
  assert.ok(sentences.length >= 2, sentences.join('|'));
  assert.equal(sentences.at(-1), 'Sponsored by Acme.');
  const [audit] = outcome.audits;
  assert.equal(outcome.audits.length, 1);
  assert.equal(audit?.source, 'template');
  assert.match(audit?.templateId ?? '', /^sponsor_read\.default\.en\./);
  assert.equal(audit?.text, sentences.join(' '));
});

test('an uncertain intent without an LLM says the hold line in the persona language', async () => {
  const en = await stage
    .run({ classified: classified('explain', 0.4), persona: marcus, context: {} })
    .collect();
  assert.deepEqual(en.sentences, ['Let me come back to that in a moment.']);
  assert.deepEqual([en.path, en.fallback, en.fallbackReason], ['hold', 'hold', 'no-llm']);
  const es = await stage
    .run({ classified: classified('explain', 0.4), persona: lucia, context: {} })
    .collect();
  assert.deepEqual(es.sentences, ['Déjame volver a eso en un momento.']);
  assert.equal(es.audits[0]?.source, 'hold');
});

test('a blocked template line or a missing slot falls back to the hold line', async () => {
  const blocked = await stage
    .run({
      classified: classified('introduce_topic', 0.95),
      persona: marcus,
      context: { topic: 'a miracle cure' },
      seed: 0,
    })
    .collect();
  assert.deepEqual(
    blocked.sentences,
    ['Let me come back to that in a moment.'],
    'every formal variant needs {topic}',
  );
  assert.equal(blocked.fallbackReason, 'policy-block');
  assert.deepEqual(
    blocked.audits.map((a) => [a.source, a.decision]),
    [
      ['template', 'block'],
      ['hold', 'allow'],
    ],
  );
  assert.deepEqual(blocked.audits[0]?.rulesFired, ['banned:health-claim']);
  const missing = await stage
    .run({ classified: classified('poll_result', 0.95), persona: ava, context: {} })
    .collect();
  assert.deepEqual([missing.path, missing.fallbackReason], ['hold', 'SCRIPT_SLOT_MISSING']);
});

test('an aborted signal cancels the run', async () => {
  const controller = new AbortController();
  controller.abort();
  const run = stage.run({
    classified: classified('greet', 0.9),
    persona: ava,
    context: {},
    signal: controller.signal,
  });
  await assert.rejects(run.collect(), ScriptAbortedError);
  assert.equal((await run.outcome).status, 'aborted');

  const midway = new AbortController();
  const run2 = stage.run({
    classified: classified('greet', 0.9),
    persona: lucia,
    context: {},
    seed: 0,
    signal: midway.signal,
  });
  const heard: string[] = [];
  await assert.rejects(async () => {
    for await (const sentence of run2) {
      heard.push(sentence);
      midway.abort();
    }
  }, ScriptAbortedError);
  assert.equal(heard.length, 1);
  assert.deepEqual((await run2.outcome).sentences, heard);
});

test('the audit record leaves unset optional fields out', () => {
  const audit = buildScriptAudit({
    traceId: 't',
    intent: 'greet',
    intentConfidence: 0.7,
    modelVersion: 'v',
    source: 'llm',
    templateId: undefined,
    llmModel: 'llama',
    rulesFired: [],
    decision: 'allow',
    text: 'Hi.',
    at: 5,
  });
  assert.deepEqual(audit, {
    traceId: 't',
    intent: 'greet',
    intentConfidence: 0.7,
    modelVersion: 'v',
    source: 'llm',
    llmModel: 'llama',
    rulesFired: [],
    decision: 'allow',
    text: 'Hi.',
    at: 5,
  });
  assert.ok(!('templateId' in audit));
});
