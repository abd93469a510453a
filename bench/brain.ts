/**
 * bench:brain — prompt cue → script ready and → first speech audio at a werift viewer, for
 * the template fast path against the LLM path (a local OpenAI-compatible server with a set
 * first-token delay), in the same run on the same show, plus per-stage p50/p95 from traces.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { STAGES } from '../pipeline/brain/stages.js';
import { waitUntil } from '../test/helpers/batch.js';
import { FakeChatCompletions } from '../test/helpers/fakeChatCompletions.js';
import { createShow, hostAuth, startOnAir } from '../test/helpers/startOnAir.js';
import { epochNow, SpeechProbe } from './speechProbe.js';

const ROUNDS = Number(process.env.BRAIN_ROUNDS ?? 20);
const FIRST_TOKEN_MS = Number(process.env.BRAIN_LLM_FIRST_TOKEN_MS ?? 150);
const PATHS = {
  template: ['welcome everyone to the show', 'talk about the new lens', 'thanks for watching, see you next week'],
  llm: ['hmm'],
};

const llm = await FakeChatCompletions.start();
llm.scenarios.set('bench', { firstDelayMs: FIRST_TOKEN_MS, chunkDelayMs: 20, chunks: ['Good question. ', 'Here is how it works.'] });
const onair = await startOnAir({ LLM_URL: llm.url, LLM_MODEL: 'bench', LLM_BUDGET_MS: '1500' });
const showId = await createShow(onair, 'bench:brain');

const probe = await SpeechProbe.join(onair, showId);

type Path = keyof typeof PATHS;
const scriptReady: Record<Path, number[]> = { template: [], llm: [] };
const firstAudio: Record<Path, number[]> = { template: [], llm: [] };
const stages: Record<string, number[]> = {};
for (let i = 0; i < ROUNDS * 2; i++) {
  const path: Path = i % 2 === 0 ? 'template' : 'llm';
  const prompt = PATHS[path][Math.floor(i / 2) % PATHS[path].length]!;
  await waitUntil(() => epochNow() - probe.lastSpeechAt > 300, 5_000, 'silence', 5);
  const sentAt = epochNow();
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });
  const { id } = (await response.json()) as { id: string };
  const heardAt = await waitUntil(() => (probe.lastSpeechAt > sentAt ? probe.lastSpeechAt : 0), 5_000, `speech for "${prompt}"`, 2);
  const runner = onair.shows.live(showId)!.cues!;
  const trace = runner.trace(id)!;
  const script = trace.spans.find((s) => s.stage === 'script');
  const cue = runner.get(id)!;
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
  if ((cue.script?.path ?? (cue.intent!.confidence >= 0.6 ? 'template' : 'llm')) !== path) throw new Error(`"${prompt}" took the ${cue.script?.path} path`);
  scriptReady[path].push(script ? script.endMs : NaN);
  firstAudio[path].push(heardAt - sentAt);
  for (const span of trace.spans) (stages[`${path}/${span.stage}`] ??= []).push(span.endMs - span.startMs);
}

console.log(`bench:brain — ${ROUNDS} template and ${ROUNDS} LLM prompts, alternating; LLM first token after ${FIRST_TOKEN_MS} ms`);
for (const path of ['template', 'llm'] as Path[]) {
  console.log(formatSummary(`  ${path}: prompt → first script sentence`, summarize(scriptReady[path])));
  console.log(formatSummary(`  ${path}: prompt → first speech RTP at the viewer`, summarize(firstAudio[path])));
}
console.log(`  LLM / template first audio at p50: ${(summarize(firstAudio.llm).p50 / summarize(firstAudio.template).p50).toFixed(2)}×`);
console.log('  per stage (from traces), p50 / p95 ms:');
for (const path of ['template', 'llm'] as Path[]) {
  const row = STAGES.filter((stage) => stages[`${path}/${stage}`]).map((stage) => {
    const s = summarize(stages[`${path}/${stage}`]!);
    return `${stage} ${s.p50.toFixed(1)}/${s.p95.toFixed(1)}`;
  });
  console.log(`    ${path}: ${row.join(' · ')}`);
}
await probe.close();
await onair.close();
await llm.close();
process.exit(0);
