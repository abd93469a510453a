/** What the show knows when a cue fires. Everything under `question` comes from a viewer. */
export interface ShowContext {
  topic?: string;
  offer?: { name: string; pitch?: string; sponsor?: string };
  pollResult?: { question: string; winner: string; percent: number };
  /** The viewer's display name is used only when `viewerConsented` is true. */
  question?: { text: string; viewerName?: string; viewerConsented: boolean };
  /** Market the show airs to, e.g. `EU`, `US`; selects regional disclaimers. */
  region?: string;
}
