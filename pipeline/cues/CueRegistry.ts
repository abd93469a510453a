import { randomBytes } from 'node:crypto';
import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { StageTrace, type TraceObserver } from '../brain/StageTrace.js';
import type { Persona } from '../persona/index.js';
import { FINAL_STATES, type Cue, type CueKind, type CueOffer } from './Cue.js';
import { CueFlight } from './CueFlight.js';

export type CueRegistryEvents = {
  status: [cue: Cue];
};

/** What arrives: the host's text (`say`) or prompt (`prompt`), and an offer word to time. */
export interface CueRequest {
  kind: CueKind;
  text: string;
  offer?: CueOffer;
  answer?: Cue['answer'];
}

const MAX_PENDING_CUES = 50;
const HISTORY = 200;

/**
 * A show's cues: the records (and traces) of the last 200, and the flight of each one not
 * yet final. Every state change goes out as a `status` event with a copy of the record.
 */
export class CueRegistry extends EnhancedEventEmitter<CueRegistryEvents> {
  private readonly cues = new Map<string, Cue>();
  private readonly traces = new Map<string, StageTrace>();
  private readonly flights = new Map<string, CueFlight>();

  constructor(
    private readonly showId: string,
    private readonly traceObserver?: TraceObserver,
  ) {
    super();
  }

  /** Records a new cue as `queued`; `ingressStartMs` is when it arrived (performance.now()). */
  open(request: CueRequest, persona: Persona, ingressStartMs: number): CueFlight {
    if (this.flights.size >= MAX_PENDING_CUES) throw new CodedError('CUE_QUEUE_FULL', `at most ${MAX_PENDING_CUES} cues may wait`);
    const { kind, text, offer, answer } = request;
    const trace = new StageTrace(this.traceObserver);
    const cue: Cue = {
      id: randomBytes(8).toString('hex'),
      showId: this.showId,
      kind,
      text: kind === 'say' ? text : '',
      ...(kind === 'prompt' && { prompt: text }),
      ...(offer && { offer }),
      ...(answer && { answer }),
      personaId: persona.id,
      state: 'queued',
      traceId: trace.id,
      timings: { receivedAt: Date.now() },
    };
    trace.end('ingress', trace.now() - (performance.now() - ingressStartMs), kind);
    this.remember(cue, trace);
    const flight = new CueFlight(cue, trace, persona);
    this.flights.set(cue.id, flight);
    this.safeEmit('status', snapshot(cue));
    return flight;
  }

  /** The flight of a cue that is not final yet. */
  flight(id: string): CueFlight | undefined {
    return this.flights.get(id);
  }

  /** Every cue not final yet, in arrival order. */
  inFlight(): CueFlight[] {
    return [...this.flights.values()];
  }

  /** A state change short of final; a final cue stays as it ended. */
  update(flight: CueFlight, patch: Partial<Cue>): void {
    if (!flight.finished) this.apply(flight, patch);
  }

  /** Ends a cue with a final state; only the first ending counts. */
  finish(flight: CueFlight, patch: Partial<Cue> & Pick<Cue, 'state'>): void {
    if (flight.finished) return;
    this.flights.delete(flight.cue.id);
    this.apply(flight, patch);
  }

  get(id: string): Cue | undefined {
    const cue = this.cues.get(id);
    return cue && snapshot(cue);
  }

  trace(id: string): StageTrace | undefined {
    return this.traces.get(id);
  }

  list(): Cue[] {
    return [...this.cues.values()].map(snapshot);
  }

  private apply(flight: CueFlight, patch: Partial<Cue>): void {
    const { cue } = flight;
    Object.assign(cue, patch);
    if (patch.state === 'speaking') cue.timings.speakingMs = flight.elapsedMs();
    if (patch.state && FINAL_STATES.includes(patch.state)) cue.timings.endedMs = flight.elapsedMs();
    this.safeEmit('status', snapshot(cue));
  }

  /** Keeps the last HISTORY cues; one still in flight is never dropped. */
  private remember(cue: Cue, trace: StageTrace): void {
    this.cues.set(cue.id, cue);
    this.traces.set(cue.id, trace);
    if (this.cues.size <= HISTORY) return;
    for (const [id, old] of this.cues) {
      if (this.cues.size <= HISTORY) break;
      if (FINAL_STATES.includes(old.state)) {
        this.cues.delete(id);
        this.traces.delete(id);
      }
    }
  }
}

/** A copy for listeners and callers: the record itself keeps changing while the cue is in flight. */
const snapshot = (cue: Cue): Cue => ({ ...cue, timings: { ...cue.timings }, ...(cue.offer && { offer: { ...cue.offer } }) });
