export interface ChatChunk {
  /** Text added by this chunk; undefined for role-only or empty deltas. */
  content?: string;
  finished: boolean;
}

/**
 * One `chat.completion.chunk` payload. Returns undefined when it is not a chunk
 * (bad JSON, an in-stream `error`, no `choices` array).
 */
export function parseChatChunk(data: string): ChatChunk | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || 'error' in json) return undefined;
  const choices = (json as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return undefined;
  // Some servers end with a usage-only chunk whose `choices` is empty.
  const choice: unknown = choices[0];
  if (choice === undefined) return { finished: false };
  if (typeof choice !== 'object' || choice === null) return undefined;
  const { delta, finish_reason: finishReason } = choice as {
    delta?: unknown;
    finish_reason?: unknown;
  };
  const content =
    typeof delta === 'object' && delta !== null
      ? (delta as { content?: unknown }).content
      : undefined;
  const finished = typeof finishReason === 'string';
  return typeof content === 'string' && content !== '' ? { content, finished } : { finished };
}
