import { CodedError } from '../../lib/errors/CodedError.js';
import type { Cue } from '../../pipeline/cues/Cue.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { KnowledgeBase } from '../../pipeline/knowledge/index.js';
import type { KnowledgeFact } from '../../pipeline/knowledge/index.js';
import { scriptLanguageOf, type ScriptLanguage, type ShowContext } from '../../pipeline/script/index.js';
import type { ChatLine, ViewerChat } from './chat/ViewerChat.js';
import type { ShowManager } from './ShowManager.js';

/** What answering needs of a show: its cues, its facts and (to tell the hosts) its chat. */
export interface AnswerParts {
  cues: ShowCues;
  knowledge: KnowledgeBase;
  chat?: ViewerChat;
}

/**
 * The presenter answers a viewer's question from the show's facts (docs/knowledge.md): the
 * facts that match it in the presenter's language go with the cue, and the script stage
 * states them (a template, or the LLM kept inside them). When none matches well enough the
 * presenter says it does not know, never a guess, and the host is told: the cue's `answer`
 * says `abstained`, and the chat emits `unanswered` (the host socket's `question_unanswered`).
 * `context` adds to what the show knows (autopilot passes the segment on air).
 */
export function answerChatLine(parts: AnswerParts, line: ChatLine, context: ShowContext = {}): Cue {
  const question = { text: line.text, viewerConsented: line.consented, ...(line.displayName && { viewerName: line.displayName }) };
  const cue = answerFromFacts(parts, question, context);
  if (cue.answer?.status === 'abstained') parts.chat?.unanswered(line, cue.id);
  return cue;
}

/** The cue that answers `question` from the facts that match it in the presenter's language (none: it abstains). */
export function answerFromFacts({ cues, knowledge }: Pick<AnswerParts, 'cues' | 'knowledge'>, question: NonNullable<ShowContext['question']>, context: ShowContext = {}, personaId?: string): Cue {
  const facts = groundingFacts(knowledge, question.text, scriptLanguageOf(cues.currentPersona));
  return cues.prompt(question.text, personaId, { ...context, question, facts }, 'answer_question');
}

/**
 * The facts an answer to `question` may state, best first; empty when none matches well
 * enough (the presenter abstains). Also what a host's prompt read as a question is answered
 * from (ShowCues.knownFacts).
 */
export function groundingFacts(knowledge: KnowledgeBase, question: string, language: ScriptLanguage | undefined): KnowledgeFact[] {
  return knowledge.retrieve(question, language).facts.map(({ id, text, language: written }) => ({ id, text, ...(written && { language: written }) }));
}

/**
 * `answerChatLine` for a show and a chat line named by id (the host's "Answer" button).
 * Throws `SHOW_NOT_FOUND`/`SHOW_ENDED`, `SHOW_HAS_NO_PRESENTER` and `CHAT_LINE_NOT_FOUND`.
 */
export async function answerQuestion(shows: ShowManager, showId: string, lineOrId: string | ChatLine, context: ShowContext = {}): Promise<Cue> {
  const show = await shows.requireLive(showId);
  const cues = show.cues;
  if (!cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show streams the test card and takes no cues');
  const chat = shows.chat(show.id);
  const line = typeof lineOrId === 'string' ? chat?.get(lineOrId) : lineOrId;
  if (!line) throw new CodedError('CHAT_LINE_NOT_FOUND', `chat line ${String(lineOrId).slice(0, 40)} not found`);
  return answerChatLine({ cues, knowledge: show.knowledge, ...(chat && { chat }) }, line, context);
}
