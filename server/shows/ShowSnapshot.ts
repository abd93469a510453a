import type { CueKind, CueOffer } from '../../pipeline/cues/Cue.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { OpenPoll } from './polls/ShowPolls.js';
import type { RundownSnapshot, ShowRundown } from '../rundown/ShowRundown.js';
import { KnowledgeBase, parseFacts, type KnowledgeFact } from '../../pipeline/knowledge/index.js';
import { answerFromFacts } from './answerQuestion.js';

/**
 * What a show holds in memory that another node needs to put it back on air as it was:
 * persona, topic, the open poll and the cues not yet spoken. Its record, its viewers'
 * sessions and arms, and its rollout are in Redis already.
 */
export interface ShowSnapshot {
  persona?: string;
  topic?: string;
  poll?: OpenPoll;
  cues: QueuedCue[];
  /** The rundown as sent, and where its autopilot was (its line on air is replayed from there, so it is not in `cues`). */
  rundown?: RundownSnapshot;
  /** The show's facts (PUT /api/shows/:id/knowledge), checked again when restored. */
  knowledge?: KnowledgeFact[];
}

export interface QueuedCue {
  kind: CueKind;
  /** The words (`say`) or the host's prompt (`prompt`). */
  text: string;
  personaId: string;
  offer?: Pick<CueOffer, 'word' | 'overlay'>;
  /** A viewer's question to answer from the facts: answered again from the show's facts when restored. */
  question?: true;
}

export function snapshotOf(cues: ShowCues | undefined, audience: ShowAudience | undefined, rundown?: ShowRundown, knowledge?: KnowledgeBase): ShowSnapshot {
  const topic = audience?.topic;
  const poll = audience?.polls.openPoll();
  const plan = rundown?.snapshot();
  return {
    ...(cues && { persona: cues.currentPersona.id }),
    ...(topic !== undefined && { topic }),
    ...(poll && { poll }),
    cues: (cues?.list() ?? [])
      .filter((cue) => (cue.state === 'queued' || cue.state === 'awaiting_approval') && !rundown?.ownsCue(cue.id))
      .map((cue) => ({
        kind: cue.kind,
        text: cue.kind === 'prompt' ? (cue.prompt ?? cue.text) : cue.text,
        personaId: cue.personaId,
        ...(cue.offer && { offer: { word: cue.offer.word, overlay: cue.offer.overlay } }),
        ...(cue.answer && { question: true as const }),
      })),
    ...(plan && { rundown: plan }),
    ...(knowledge && knowledge.size > 0 && { knowledge: [...knowledge.facts] }),
  };
}

/** Puts a snapshot back on a show that was just started again; each part that fails is reported, the rest still restored. */
export async function restoreSnapshot(snapshot: ShowSnapshot, cues: ShowCues | undefined, audience: ShowAudience | undefined, rundown?: ShowRundown, show?: { knowledge: KnowledgeBase }): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (what: string, action: () => unknown) => {
    try {
      await action();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  if (cues && snapshot.persona) await attempt('persona', () => cues.setPersona(snapshot.persona!));
  if (audience && snapshot.topic !== undefined) await attempt('topic', () => (audience.topic = snapshot.topic));
  if (audience && snapshot.poll) await attempt('poll', () => audience.polls.resume(snapshot.poll!));
  if (show && snapshot.knowledge) await attempt('knowledge', () => (show.knowledge = new KnowledgeBase(parseFacts({ facts: snapshot.knowledge!.map(({ text, language }) => ({ text, ...(language && { language }) })) }))));
  for (const cue of cues ? snapshot.cues : []) {
    await attempt(`cue "${cue.text.slice(0, 40)}"`, () => {
      // The viewer's name and consent stay behind: the answer goes out without the name.
      if (cue.question && show) return answerFromFacts({ cues: cues!, knowledge: show.knowledge }, { text: cue.text, viewerConsented: false }, {}, cue.personaId);
      return cue.kind === 'prompt' ? cues!.prompt(cue.text, cue.personaId, {}, undefined, cue.offer) : cues!.submit(cue.text, cue.personaId, cue.offer);
    });
  }
  // Last: the autopilot's next line queues behind the cues that were waiting before it.
  if (rundown && snapshot.rundown) await attempt('rundown', () => rundown.restore(snapshot.rundown!));
  return failures;
}
