import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../../pipeline/script/index.js';

/**
 * A local OpenAI-compatible Chat Completions server speaking the real streaming wire format
 * (SSE `data:` chunks, `[DONE]`): the fake provider for the one external service OnAir calls.
 * Each model name plays a scenario (delays, chunks, errors).
 */
/** How the fake Chat Completions server answers a model name. */
export interface Scenario {
  status?: number;
  contentType?: string;
  firstDelayMs?: number;
  chunkDelayMs?: number;
  chunks?: string[];
  /** Raw SSE text written instead of content chunks. */
  raw?: string;
  done?: boolean;
  /** Destroy the socket after the chunks instead of ending the stream. */
  reset?: boolean;
}

export interface Recorded {
  model: string;
  body: { model: string; stream: boolean; max_tokens: number; messages: ChatMessage[] };
  authorization?: string;
  closedEarly: boolean;
  startedAt: number;
  finishedAt?: number;
}


const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const roleChunk = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] })}\n\n`;

async function answer(req: IncomingMessage, res: ServerResponse, scenarios: Map<string, Scenario>, requests: Recorded[]): Promise<void> {
  let text = '';
  for await (const part of req) text += String(part);
  const body = JSON.parse(text) as Recorded['body'];
  const record: Recorded = { model: body.model, body, closedEarly: false, startedAt: Date.now() };
  if (req.headers.authorization) record.authorization = req.headers.authorization;
  requests.push(record);
  // Pending delays end with the connection, so that nothing outlives the test.
  const closed = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: closed.signal });
  res.on('close', () => {
    record.closedEarly = !res.writableFinished;
    closed.abort();
  });
  const s = scenarios.get(body.model) ?? {};
  res.writeHead(s.status ?? 200, {
    'content-type': s.contentType ?? 'text/event-stream',
    'cache-control': 'no-cache',
  });
  res.write(': keep-alive comment\n\n');
  res.write(roleChunk);
  await pause(s.firstDelayMs ?? 0);
  if (s.raw !== undefined) res.write(s.raw);
  for (const [i, content] of (s.chunks ?? []).entries()) {
    if (i > 0) await pause(s.chunkDelayMs ?? 0);
    res.write(chunk(content));
  }
  if (res.destroyed) return;
  if (s.reset) {
    await pause(20);
    res.socket?.destroy();
    return;
  }
  if (s.done ?? true) res.write('data: [DONE]\n\n');
  record.finishedAt = Date.now();
  res.end();
}

export class FakeChatCompletions {
  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. `http://127.0.0.1:PORT/v1`. */
    readonly url: string,
    readonly scenarios: Map<string, Scenario>,
    readonly requests: Recorded[],
  ) {}

  static async start(): Promise<FakeChatCompletions> {
    const scenarios = new Map<string, Scenario>();
    const requests: Recorded[] = [];
    const server = createServer((req, res) => {
      answer(req, res, scenarios, requests).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeChatCompletions(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, scenarios, requests);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
