/** A minimal Janus HTTP API client for one streaming-plugin viewer (loopback only, every call bounded). */
import { randomBytes } from 'node:crypto';

const REQUEST_TIMEOUT_MS = 10_000;

interface JanusReply {
  janus: string;
  transaction?: string;
  data?: { id: number };
  sender?: number;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: 'offer' | 'answer'; sdp: string };
  error?: { code: number; reason: string };
}

const transaction = () => randomBytes(8).toString('hex');

async function post(url: string, body: object): Promise<JanusReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, transaction: transaction() }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const reply = (await response.json()) as JanusReply;
  if (reply.janus === 'error' || reply.error)
    throw new Error(`janus: ${reply.error?.reason ?? 'error'} (${reply.error?.code})`);
  return reply;
}

export class JanusStreamingViewer {
  private sessionId = 0;
  private handleId = 0;
  private keepalive: NodeJS.Timeout | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly mountpointId: number,
  ) {}

  /** Creates a session, attaches the streaming plugin and asks to watch; resolves with Janus' SDP offer. */
  async watch(timeoutMs: number): Promise<string> {
    this.sessionId = (await post(this.apiUrl, { janus: 'create' })).data!.id;
    this.keepalive = setInterval(() => {
      void post(`${this.apiUrl}/${this.sessionId}`, { janus: 'keepalive' }).catch(() => undefined);
    }, 20_000);
    this.keepalive.unref();
    this.handleId = (
      await post(`${this.apiUrl}/${this.sessionId}`, {
        janus: 'attach',
        plugin: 'janus.plugin.streaming',
      })
    ).data!.id;
    await post(this.handleUrl, {
      janus: 'message',
      body: { request: 'watch', id: this.mountpointId },
    });
    const event = await this.pollFor((e) => e.jsep?.type === 'offer', timeoutMs);
    return event.jsep!.sdp;
  }

  /** Sends our SDP answer with `start`. */
  async start(answerSdp: string): Promise<void> {
    const reply = await post(this.handleUrl, {
      janus: 'message',
      body: { request: 'start' },
      jsep: { type: 'answer', sdp: answerSdp },
    });
    const data = reply.plugindata?.data;
    if (data && typeof data.error === 'string') throw new Error(`janus start: ${data.error}`);
  }

  async destroy(): Promise<void> {
    clearInterval(this.keepalive);
    if (!this.sessionId) return;
    await post(`${this.apiUrl}/${this.sessionId}`, { janus: 'destroy' }).catch(() => undefined);
    this.sessionId = 0;
  }

  private get handleUrl(): string {
    return `${this.apiUrl}/${this.sessionId}/${this.handleId}`;
  }

  /** Long-polls the session's event queue until `match` accepts an event from our handle. */
  private async pollFor(
    match: (event: JanusReply) => boolean,
    timeoutMs: number,
  ): Promise<JanusReply> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const response = await fetch(`${this.apiUrl}/${this.sessionId}?maxev=5&rid=${Date.now()}`, {
        signal: AbortSignal.timeout(
          Math.round(Math.max(1000, Math.min(REQUEST_TIMEOUT_MS, deadline - performance.now()))),
        ),
      });
      const body = (await response.json()) as JanusReply | JanusReply[];
      for (const event of Array.isArray(body) ? body : [body]) {
        if (
          event.janus === 'event' &&
          event.plugindata?.data &&
          typeof event.plugindata.data.error === 'string'
        ) {
          throw new Error(`janus: ${event.plugindata.data.error}`);
        }
        if (event.sender === this.handleId && match(event)) return event;
      }
    }
    throw new Error(`janus: no matching event within ${timeoutMs} ms`);
  }
}
