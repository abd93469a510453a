import type { Namespace } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { Show } from '../shows/Show.js';
import type { ShowManager } from '../shows/ShowManager.js';
import type { ShowRundown } from '../rundown/ShowRundown.js';
import { showRoom } from './viewerActions.js';

const SHOW_ID = /^[a-z0-9]{6,32}$/;
export const HOST_EVENTS = ['watch', 'cue', 'interrupt', 'persona', 'rundown'] as const;
export type HostEventName = (typeof HOST_EVENTS)[number];

/**
 * What a host socket does to a show, run on the show's origin node: for a host socket here,
 * and for one on another node through a signed node-to-node call. `watch` wires the show's
 * cue status, chat and audience figures to room `show:<id>` of /host once; the adapter
 * carries those emits to the watching sockets on every node.
 */
export class HostActions {
  private readonly watched = new WeakSet<object>();

  constructor(
    private readonly host: Namespace,
    private readonly shows: ShowManager,
  ) {}

  async run(event: HostEventName, payload: Record<string, unknown>): Promise<unknown> {
    const { showId, text, persona } = payload;
    const show = await this.shows.requireLive(checkShowId(showId));
    switch (event) {
      case 'watch': {
        this.wire(show);
        const audience = this.shows.audience(show.id);
        const poll = audience?.polls.open?.view() ?? audience?.polls.list().at(-1);
        return { cues: show.cues?.list() ?? [], chat: this.shows.chat(show.id)?.list() ?? [], ...(poll && { poll }) };
      }
      case 'cue':
        if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show takes no cues');
        if (persona !== undefined && typeof persona !== 'string') throw new CodedError('INVALID_REQUEST', 'persona must be a string');
        return show.cues.submit(text, persona as string | undefined);
      case 'interrupt':
        return { interrupted: show.cues?.interrupt() ?? [] };
      case 'persona':
        if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show takes no cues');
        if (typeof persona !== 'string') throw new CodedError('INVALID_REQUEST', 'persona must be a string');
        return { persona: show.cues.setPersona(persona).id };
      case 'rundown':
        return rundownAction(this.shows.rundown(show.id), payload);
    }
  }

  private wire(show: Show): void {
    const room = () => this.host.to(showRoom(show.id));
    if (show.cues && !this.watched.has(show.cues)) {
      this.watched.add(show.cues);
      show.cues.on('status', (cue) => room().emit('cue', cue));
      this.shows.chat(show.id)?.on('line', (line) => room().emit('chat', line));
      this.shows.rundown(show.id)?.on('progress', (autopilot) => room().emit('rundown', { showId: show.id, autopilot }));
      this.shows.chat(show.id)?.on('unanswered', (question) => room().emit('question_unanswered', question));
    }
    const audience = this.shows.audience(show.id);
    if (audience && !this.watched.has(audience)) {
      this.watched.add(audience);
      audience.on('host', (event, payload) => room().emit(event, payload));
    }
  }
}

/** The rundown controls of the REST API (`POST /api/shows/:id/rundown/<action>`) over the host socket. */
function rundownAction(rundown: ShowRundown | undefined, { action, segment, text, prompt, question }: Record<string, unknown>): unknown {
  if (!rundown) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show has no rundown');
  if (segment !== undefined && (typeof segment !== 'string' || segment.length > 40)) throw new CodedError('INVALID_REQUEST', 'segment must be a segment id');
  switch (action) {
    case 'view':
      return rundown.view();
    case 'start':
      return { autopilot: rundown.start(segment === undefined ? {} : { segment: segment as string }) };
    case 'pause':
    case 'resume':
    case 'skip':
    case 'stop':
      return { autopilot: rundown[action]() };
    case 'jump':
      if (typeof segment !== 'string') throw new CodedError('INVALID_REQUEST', 'jump needs a segment');
      return { autopilot: rundown.jump(segment) };
    case 'insert':
      return { autopilot: rundown.insert({ ...(text !== undefined && { text }), ...(prompt !== undefined && { prompt }), ...(question !== undefined && { question }) }) };
    default:
      throw new CodedError('INVALID_REQUEST', 'action must be view, start, pause, resume, skip, stop, jump or insert');
  }
}

export function checkShowId(showId: unknown): string {
  if (typeof showId !== 'string' || !SHOW_ID.test(showId)) {
    throw new CodedError('INVALID_REQUEST', 'showId must be a show id');
  }
  return showId;
}
