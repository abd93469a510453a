export type { KnowledgeFact } from './KnowledgeFact.js';
export { KnowledgeBase, type Retrieval, type ScoredFact } from './KnowledgeBase.js';
export { DEFAULT_ANSWER_POLICY, type AnswerPolicy } from './answerPolicy.js';
export { parseFacts } from './parseFacts.js';
export { KnowledgeError } from './errors.js';
export { KNOWLEDGE_LIMITS } from './limits.js';
export { analyze } from './analyze.js';
export { groundingCheck, MAX_UNSUPPORTED_SHARE, type GroundingVerdict } from './groundedness.js';
