import { hostAuth } from '../../test/helpers/startOnAir.js';

/** Alternately said as they are (`text`) and through intent → script (`prompt`). */
const LINES = [
  { text: 'Welcome back to the show. Here is what is coming up next.' },
  { prompt: 'Tell viewers about our newsletter and why they should subscribe.' },
  { text: 'Thanks for all the questions in the chat, keep them coming.' },
  { prompt: 'Give a quick summary of the topic we just covered.' },
  { text: 'A quick reminder: the poll is open, cast your vote now.' },
  { prompt: 'Introduce the next segment about product updates.' },
];

export interface ActivityCounts {
  cues: number;
  cuesRefused: number;
  polls: number;
  pollsRefused: number;
  refusals: string[];
}

/**
 * The host's side of the show during the soak: a cue every `cueEveryMs` (text and prompt
 * lines in turn) and a poll every `pollEveryMs` (open 60 s, announced by the presenter), over
 * HTTP as the host page sends them. Refusals are counted, not thrown: Redis may be away.
 */
export class ShowActivity {
  readonly counts: ActivityCounts = {
    cues: 0,
    cuesRefused: 0,
    polls: 0,
    pollsRefused: 0,
    refusals: [],
  };
  private readonly timers: NodeJS.Timeout[] = [];
  private n = 0;

  constructor(
    private readonly url: string,
    private readonly showId: string,
  ) {}

  start(cueEveryMs: number, pollEveryMs: number): void {
    if (cueEveryMs > 0) this.timers.push(setInterval(() => void this.cue(), cueEveryMs));
    if (pollEveryMs > 0) {
      // The first poll early, so a short run has one too.
      this.timers.push(setTimeout(() => void this.poll(), Math.min(20_000, pollEveryMs)));
      this.timers.push(setInterval(() => void this.poll(), pollEveryMs));
    }
  }

  private async post(path: string, body: unknown): Promise<string | undefined> {
    try {
      const response = await fetch(`${this.url}/api/shows/${this.showId}${path}`, {
        method: 'POST',
        headers: { ...hostAuth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return void (await response.body?.cancel());
      const error = ((await response.json().catch(() => ({}))) as { error?: { code?: string } })
        .error;
      return `${path.split('/')[1]} ${response.status} ${error?.code ?? ''}`.trim();
    } catch (error) {
      return `${path.split('/')[1]} ${(error as Error).message}`;
    }
  }

  private async cue(): Promise<void> {
    const refused = await this.post('/cues', LINES[this.n++ % LINES.length]);
    if (!refused) return void this.counts.cues++;
    this.counts.cuesRefused++;
    this.counts.refusals.push(refused);
  }

  private async poll(): Promise<void> {
    const refused = await this.post('/polls', {
      question: `Soak poll ${this.counts.polls + 1}: more of this?`,
      options: [{ label: 'Yes' }, { label: 'No' }],
      durationMs: 60_000,
    });
    if (!refused) return void this.counts.polls++;
    this.counts.pollsRefused++;
    this.counts.refusals.push(refused);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
