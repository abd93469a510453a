import { CodedError } from '../../lib/errors/CodedError.js';

/** A show's facts were refused; `code` is stable and reaches API clients. */
export class KnowledgeError extends CodedError {}

/** The body is not `{facts: [{text, language?}]}`: the message names the field. */
export const knowledgeInvalid = (message: string) => new KnowledgeError('KNOWLEDGE_INVALID', message);
