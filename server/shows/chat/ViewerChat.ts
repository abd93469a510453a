import { randomBytes } from 'node:crypto';
import type { Intent } from '../../../pipeline/intent/intents.js';
import type { SafetyVerdict } from '../../../pipeline/safety/SafetyModel.js';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { TokenBucket } from './TokenBucket.js';

export const MAX_CHAT_CHARS = 300;
const HISTORY = 200;
// C0/C1 controls, including tab and newline: a chat line is one line of text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

export interface ChatLine {
  id: string;
  showId: string;
  viewerId: string;
  /** Only when the viewer consented to be named on air. */
  displayName?: string;
  consented: boolean;
  text: string;
  intent: Intent;
  confidence: number;
  /** The model thinks the presenter could answer it (never when the safety check refuses it). */
  question: boolean;
  /** The safety classifier's verdict; a refused line is shown to hosts but never answered. */
  safety?: SafetyVerdict;
  at: number;
}

export class ChatError extends CodedError {}

export type ViewerChatEvents = {
  line: [line: ChatLine];
  /** The show's facts did not answer this question, and the presenter said so (answerQuestion). */
  unanswered: [question: { line: ChatLine; cueId: string }];
};

/**
 * One show's viewer chat: lines are checked, rate-limited per viewer, classified by the
 * intent model and kept (bounded) so the host can pick questions for the presenter.
 */
export class ViewerChat extends EnhancedEventEmitter<ViewerChatEvents> {
  private readonly lines = new Map<string, ChatLine>();
  private readonly limiter = new TokenBucket(5, 0.5);

  constructor(
    readonly showId: string,
    private readonly classify: (text: string) => Promise<{ intent: Intent; confidence: number }>,
    private readonly checkSafety?: (text: string) => Promise<SafetyVerdict>,
  ) {
    super();
  }

  async post(viewer: { viewerId: string; displayName?: string; consented: boolean }, text: unknown): Promise<ChatLine> {
    const checked = checkChatText(text);
    if (!this.limiter.take(viewer.viewerId)) throw new ChatError('CHAT_RATE_LIMITED', 'too many messages; slow down');
    const [{ intent, confidence }, safety] = await Promise.all([this.classify(checked), this.checkSafety?.(checked)]);
    const refused = safety?.verdict === 'refuse';
    const line: ChatLine = {
      id: randomBytes(6).toString('hex'),
      showId: this.showId,
      viewerId: viewer.viewerId,
      ...(viewer.consented && viewer.displayName && { displayName: viewer.displayName }),
      consented: viewer.consented,
      text: checked,
      intent,
      confidence,
      question: !refused && (intent === 'answer_question' || /[?¿]/.test(checked)),
      ...(safety && { safety }),
      at: Date.now(),
    };
    this.lines.set(line.id, line);
    if (this.lines.size > HISTORY) this.lines.delete(this.lines.keys().next().value!);
    this.safeEmit('line', line);
    return line;
  }

  /** Tells the hosts that the presenter could not answer `line` from the show's facts. */
  unanswered(line: ChatLine, cueId: string): void {
    this.safeEmit('unanswered', { line, cueId });
  }

  get(id: string): ChatLine | undefined {
    return this.lines.get(id);
  }

  list(): ChatLine[] {
    return [...this.lines.values()];
  }
}

export function checkChatText(text: unknown): string {
  if (typeof text !== 'string') throw new ChatError('CHAT_INVALID', 'text must be a string');
  if (CONTROL.test(text)) throw new ChatError('CHAT_INVALID', 'text contains control or binary characters');
  const normalized = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!normalized) throw new ChatError('CHAT_EMPTY', 'text is empty');
  if ([...normalized].length > MAX_CHAT_CHARS) throw new ChatError('CHAT_TOO_LONG', `a chat line has at most ${MAX_CHAT_CHARS} characters`);
  return normalized;
}
