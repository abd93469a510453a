/**
 * Child process: OnAir's werift SFU with one ingest, signalled over a loopback HTTP server,
 * so the orchestrator can measure this process' CPU and RSS (worker threads included) alone.
 *
 *   POST   /viewers        body: SDP offer     → { sessionId, answerSdp }
 *   DELETE /viewers/:id                        → { removed }
 *   GET    /stats                              → SfuStats (with per-shard packetsOut)
 *
 * Env FANOUT_ONAIR_SHARDS sets the egress worker count. Exits with its parent.
 */
import http from 'node:http';
import { WeriftSfu } from '../../server/sfu/werift/WeriftSfu.js';
import { exitWithParent, sendToParent } from './ipc.js';
import type { OnairReady } from './protocol.js';

const SHOW_ID = 'bench-fanout';
const MAX_BODY_BYTES = 64 * 1024;

const shards = process.env.FANOUT_ONAIR_SHARDS
  ? Number(process.env.FANOUT_ONAIR_SHARDS)
  : undefined;
const sfu = await WeriftSfu.create(shards ? { shards } : {});
const ingest = await sfu.createIngest({ showId: SHOW_ID, videoCodec: 'VP8' });

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  void (async () => {
    try {
      if (req.method === 'POST' && url === '/viewers') {
        reply(res, 200, await sfu.addViewer(SHOW_ID, await readBody(req)));
      } else if (req.method === 'DELETE' && url.startsWith('/viewers/')) {
        reply(res, 200, {
          removed: await sfu.removeViewer(decodeURIComponent(url.slice('/viewers/'.length))),
        });
      } else if (req.method === 'GET' && url === '/stats') {
        reply(res, 200, await sfu.detailedStats());
      } else {
        reply(res, 404, { error: 'not found' });
      }
    } catch (error) {
      reply(res, 500, { error: (error as Error).message, code: (error as { code?: string }).code });
    }
  })();
});
server.keepAliveTimeout = 1000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  sendToParent({
    type: 'ready',
    httpPort,
    rtpPort: ingest.rtpPort,
    shards: sfu.stats().shards.length,
  } satisfies OnairReady);
});

exitWithParent(async () => {
  server.close();
  await sfu.close();
});
