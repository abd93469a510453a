import type { KnowledgeFact } from '../knowledge/KnowledgeFact.js';

/** What the show knows when a cue fires. Everything under `question` comes from a viewer. */
export interface ShowContext {
  /** The show's own title, as its host named it (the `{episode}` slot); the persona's brand is `{showTitle}`. */
  title?: string;
  topic?: string;
  /** The current rundown segment. */
  segment?: { title: string; talkingPoints: string[] };
  offer?: { name: string; pitch?: string; sponsor?: string };
  /** The poll being announced. */
  poll?: { question: string; options: string[] };
  pollResult?: { question: string; winner: string; percent: number };
  /** The viewer's display name is used only when `viewerConsented` is true. */
  question?: { text: string; viewerName?: string; viewerConsented: boolean };
  /**
   * Set for a grounded answer to `question` (docs/knowledge.md): the show's facts retrieved
   * for it, best first. The answer states them and nothing else; empty when none matched well
   * enough, and then the presenter says it does not know. Written by the host or producer.
   */
  facts?: readonly KnowledgeFact[];
  /** Market the show airs to, e.g. `EU`, `US`; selects regional disclaimers. */
  region?: string;
}
