import { InvalidEventError } from './errors.js';
import { boundedNumber, boundedString, definedOnly, optional, plainObject } from './events/fields.js';
import { parseJoin, type JoinPayload } from './events/joinEvent.js';

export { joinContextFrom, joinContextOf, parseJoin, type JoinPayload, type JoinUtm } from './events/joinEvent.js';
export { classifyDevice } from './events/classifyDevice.js';
export { classifyReferrer } from './events/classifyReferrer.js';

export const VIEWER_EVENTS = [
  'join', 'heartbeat', 'pause', 'resume', 'mute', 'unmute', 'seek',
  'poll_vote', 'cta_impression', 'cta_click', 'cta_dismiss', 'chat',
] as const;
export type ViewerEventName = (typeof VIEWER_EVENTS)[number];

/** Longest heartbeat interval a client may claim: one minute of watching. */
export const MAX_HEARTBEAT_WATCH_MS = 60_000;

export interface ViewerEventPayloads {
  join: JoinPayload;
  /** `watchMs`: time watched (playing and visible) since the previous heartbeat, rounded to ms. */
  heartbeat: { watchMs: number; streamTimeMs?: number };
  pause: Record<string, never>;
  resume: Record<string, never>;
  mute: Record<string, never>;
  unmute: Record<string, never>;
  seek: { fromStreamTimeMs: number; toStreamTimeMs: number };
  poll_vote: { pollId: string; option: number };
  cta_impression: { decisionId: string };
  cta_click: { decisionId: string };
  cta_dismiss: { decisionId: string };
  /** The text is checked by ViewerChat; only its shape is checked here. */
  chat: { text: string };
}

type Validators = { [E in ViewerEventName]: (payload: unknown) => ViewerEventPayloads[E] };

const STREAM_TIME = { min: 0, max: Number.MAX_SAFE_INTEGER };
const POLL_ID = { min: 6, max: 32, pattern: /^[a-z0-9]{6,32}$/, expected: '6-32 of a-z 0-9' };
const DECISION_ID = { min: 8, max: 40, pattern: /^[A-Za-z0-9_-]{8,40}$/, expected: '8-40 of A-Z a-z 0-9 _ -' };
/** Generous: ViewerChat enforces its own, shorter limit with its own error. */
const MAX_CHAT_PAYLOAD_CHARS = 2_000;

const empty = (event: ViewerEventName) => (payload: unknown) => {
  plainObject(payload, event, []);
  return {} as Record<string, never>;
};

const cta = (event: ViewerEventName) => (payload: unknown) => {
  const raw = plainObject(payload, event, ['decisionId']);
  return { decisionId: boundedString(raw.decisionId, `${event}.decisionId`, DECISION_ID) };
};

/** One validator per `/viewer` event: untrusted payload in, typed value out, or an InvalidEventError. */
export const viewerEventValidators: Validators = {
  join: parseJoin,
  heartbeat(payload) {
    const raw = plainObject(payload, 'heartbeat', ['watchMs', 'streamTimeMs']);
    return definedOnly({
      watchMs: Math.round(boundedNumber(raw.watchMs, 'heartbeat.watchMs', { min: 0, max: MAX_HEARTBEAT_WATCH_MS })),
      streamTimeMs: optional(raw.streamTimeMs, (v) => boundedNumber(v, 'heartbeat.streamTimeMs', STREAM_TIME)),
    });
  },
  pause: empty('pause'),
  resume: empty('resume'),
  mute: empty('mute'),
  unmute: empty('unmute'),
  seek(payload) {
    const raw = plainObject(payload, 'seek', ['fromStreamTimeMs', 'toStreamTimeMs']);
    return {
      fromStreamTimeMs: boundedNumber(raw.fromStreamTimeMs, 'seek.fromStreamTimeMs', STREAM_TIME),
      toStreamTimeMs: boundedNumber(raw.toStreamTimeMs, 'seek.toStreamTimeMs', STREAM_TIME),
    };
  },
  poll_vote(payload) {
    const raw = plainObject(payload, 'poll_vote', ['pollId', 'option']);
    return {
      pollId: boundedString(raw.pollId, 'poll_vote.pollId', POLL_ID),
      option: boundedNumber(raw.option, 'poll_vote.option', { min: 0, max: 9, integer: true }),
    };
  },
  cta_impression: cta('cta_impression'),
  cta_click: cta('cta_click'),
  cta_dismiss: cta('cta_dismiss'),
  chat(payload) {
    const raw = plainObject(payload, 'chat', ['text']);
    if (typeof raw.text !== 'string') throw new InvalidEventError('chat.text', 'must be a string');
    if (raw.text.length > MAX_CHAT_PAYLOAD_CHARS) throw new InvalidEventError('chat.text', `must be at most ${MAX_CHAT_PAYLOAD_CHARS} characters long`);
    return { text: raw.text };
  },
};

export function isViewerEvent(name: string): name is ViewerEventName {
  return (VIEWER_EVENTS as readonly string[]).includes(name);
}

export function validateViewerEvent<E extends ViewerEventName>(event: E, payload: unknown): ViewerEventPayloads[E] {
  return viewerEventValidators[event](payload);
}
