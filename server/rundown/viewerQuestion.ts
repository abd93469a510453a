import type { Cue } from '../../pipeline/cues/Cue.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { KnowledgeBase } from '../../pipeline/knowledge/index.js';
import type { SegmentContext } from '../../pipeline/rundown/Autopilot.js';
import { answerChatLine } from '../shows/answerQuestion.js';
import type { ChatLine, ViewerChat } from '../shows/chat/ViewerChat.js';

/**
 * How the autopilot answers a viewer question it took from the chat: the grounded answer the
 * host's "Answer" button gives (`server/shows/answerQuestion.ts`: from the show's facts, or
 * "I don't know" and the hosts are told), with the segment on air as context.
 */
export function answerViewerQuestion(
  parts: { cues: ShowCues; knowledge: KnowledgeBase; chat?: ViewerChat },
  line: ChatLine,
  segment: SegmentContext,
): Cue {
  return answerChatLine(parts, line, { segment });
}
