import type { Intent } from '../intent/intents.js';
import type { Persona } from '../persona/index.js';
import { SentenceSplitter } from '../text/sentences.js';
import { parseChatChunk } from './chatChunk.js';
import { chatMessages } from './chatMessages.js';
import { LlmUnavailableError, ScriptAbortedError, type LlmFailureReason } from './errors.js';
import { scriptLanguageOf } from './language.js';
import { chatCompletionsUrl, DEFAULT_LLM_MAX_ANSWER_BYTES, type LlmConfig } from './LlmConfig.js';
import { sseData } from './sseData.js';
import type { ShowContext } from './ShowContext.js';

export interface LlmRequest {
  intent: Exclude<Intent, 'off_policy'>;
  persona: Persona;
  context: ShowContext;
  /** An interrupt: aborts the request and ends the iteration with `ScriptAbortedError`. */
  signal?: AbortSignal;
}

export const DEFAULT_LLM_MAX_TOKENS = 160;
const MIN_TOTAL_BUDGET_MS = 15_000;

type AbortCause = 'timeout' | 'external';

/**
 * Streams an answer from an OpenAI-compatible Chat Completions endpoint as complete
 * sentences, so that the first can be synthesized while the rest is still being generated.
 * Failures throw `LlmUnavailableError`; the caller falls back to a template.
 */
export class LlmScripter {
  readonly endpoint: string;

  constructor(readonly config: LlmConfig) {
    this.endpoint = chatCompletionsUrl(config.url);
  }

  get model(): string {
    return this.config.model;
  }

  async *sentences(request: LlmRequest): AsyncGenerator<string, void, undefined> {
    const { signal } = request;
    if (signal?.aborted) throw new ScriptAbortedError();
    const controller = new AbortController();
    let cause: AbortCause | undefined;
    const abort = (why: AbortCause) => {
      cause ??= why;
      controller.abort();
    };
    const onInterrupt = () => abort('external');
    signal?.addEventListener('abort', onInterrupt, { once: true });
    const firstSentenceTimer = setTimeout(() => abort('timeout'), this.config.budgetMs);
    const totalBudgetMs =
      this.config.totalBudgetMs ?? Math.max(this.config.budgetMs, MIN_TOTAL_BUDGET_MS);
    const totalTimer = setTimeout(() => abort('timeout'), totalBudgetMs);
    let yielded = 0;
    const fail = (reason: LlmFailureReason, detail: string) =>
      new LlmUnavailableError(reason, yielded, detail);
    try {
      const body = await this.open(request, controller.signal, fail);
      const splitter = new SentenceSplitter();
      let done = false;
      let sawContent = false;
      const maxBytes = this.config.maxAnswerBytes ?? DEFAULT_LLM_MAX_ANSWER_BYTES;
      for await (const data of sseData(capped(body, maxBytes, () => fail('LLM_MALFORMED', `the answer is over ${maxBytes} bytes`)))) {
        if (data.trim() === '[DONE]') {
          done = true;
          break;
        }
        const chunk = parseChatChunk(data);
        if (chunk === undefined)
          throw fail('LLM_MALFORMED', 'a stream event is not a chat.completion.chunk');
        done ||= chunk.finished;
        if (chunk.content === undefined) continue;
        sawContent = true;
        for (const sentence of splitter.push(chunk.content)) {
          clearTimeout(firstSentenceTimer);
          yielded++;
          yield sentence;
        }
      }
      if (!done) {
        throw sawContent
          ? fail('LLM_MALFORMED', 'the stream ended without [DONE]')
          : fail('LLM_EMPTY', 'the stream ended without [DONE] or content');
      }
      const rest = splitter.flush();
      if (rest !== undefined) {
        clearTimeout(firstSentenceTimer);
        yielded++;
        yield rest;
      }
      if (yielded === 0) throw fail('LLM_EMPTY', 'the answer has no text');
    } catch (err) {
      if (cause === 'external') throw new ScriptAbortedError();
      if (cause === 'timeout') {
        throw fail(
          'LLM_TIMEOUT',
          yielded === 0
            ? `no sentence within ${this.config.budgetMs} ms`
            : `over ${totalBudgetMs} ms`,
        );
      }
      if (err instanceof LlmUnavailableError) throw err;
      throw fail('LLM_MALFORMED', `the stream broke: ${(err as Error).message}`);
    } finally {
      clearTimeout(firstSentenceTimer);
      clearTimeout(totalTimer);
      signal?.removeEventListener('abort', onInterrupt);
      controller.abort(); // closes the connection when the consumer stops early
    }
  }

  private async open(
    { intent, persona, context }: LlmRequest,
    signal: AbortSignal,
    fail: (reason: LlmFailureReason, detail: string) => LlmUnavailableError,
  ): Promise<AsyncIterable<Uint8Array>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
    };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    const messages = chatMessages(intent, persona, scriptLanguageOf(persona) ?? 'en', context);
    const body = JSON.stringify({
      model: this.config.model,
      stream: true,
      messages,
      max_tokens: this.config.maxTokens ?? DEFAULT_LLM_MAX_TOKENS,
    });
    let response: Response;
    try {
      response = await fetch(this.endpoint, { method: 'POST', headers, body, signal });
    } catch (err) {
      if (signal.aborted) throw err;
      throw fail('LLM_HTTP_ERROR', `request failed: ${(err as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw fail('LLM_HTTP_ERROR', `HTTP ${response.status}`);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!/^text\/event-stream\b/i.test(contentType) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw fail('LLM_MALFORMED', `expected text/event-stream, got "${contentType}"`);
    }
    return response.body as unknown as AsyncIterable<Uint8Array>;
  }
}

/** The stream's chunks until `maxBytes` have passed, then the error `tooLarge` makes. */
async function* capped(body: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const bytes of body) {
    total += bytes.byteLength;
    if (total > maxBytes) throw tooLarge();
    yield bytes;
  }
}
