/**
 * Rebuilds assets/intent/dataset.jsonl from the hand-written lines in assets/intent/raw/.
 * Each raw file is named after its intent; `## <lang> <source>` headers group the lines.
 * Run with `npx tsx pipeline/intent/data/buildDataset.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DATASET_PATH,
  INTENT_ASSETS_DIR,
  type IntentExample,
  type Lang,
  type Source,
} from '../dataset.js';
import { INTENTS } from '../intents.js';

const HEADER = /^## (en|es) (host|viewer)$/;

function readRaw(intent: (typeof INTENTS)[number]): IntentExample[] {
  const file = path.join(INTENT_ASSETS_DIR, 'raw', `${intent}.txt`);
  let group: { lang: Lang; source: Source } | undefined;
  const examples: IntentExample[] = [];
  for (const line of readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())) {
    if (line === '') continue;
    const header = HEADER.exec(line);
    if (header) group = { lang: header[1] as Lang, source: header[2] as Source };
    else if (!group) throw new Error(`${file}: a line before the first ## header`);
    else examples.push({ text: line, intent, ...group });
  }
  return examples;
}

const seen = new Map<string, IntentExample>();
for (const example of INTENTS.flatMap(readRaw)) {
  const earlier = seen.get(example.text);
  if (earlier && earlier.intent !== example.intent) {
    throw new Error(`"${example.text}" is labelled both ${earlier.intent} and ${example.intent}`);
  }
  seen.set(example.text, earlier ?? example);
}
const byKey = (e: IntentExample) => [INTENTS.indexOf(e.intent), e.lang, e.source, e.text] as const;
const rows = [...seen.values()].sort((a, b) => {
  const [ka, kb] = [byKey(a), byKey(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
});
writeFileSync(DATASET_PATH, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const counts = INTENTS.map((intent) => {
  const of = rows.filter((r) => r.intent === intent);
  return `${intent.padEnd(16)} ${String(of.length).padStart(4)}  en ${of.filter((r) => r.lang === 'en').length}  es ${of.filter((r) => r.lang === 'es').length}`;
});
const spanish = rows.filter((r) => r.lang === 'es').length;
console.log(
  `${rows.length} examples, ${((100 * spanish) / rows.length).toFixed(1)}% Spanish\n${counts.join('\n')}`,
);
