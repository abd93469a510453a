/**
 * Child process: one of OnAir's SFU backends with one ingest, signalled over a loopback HTTP
 * server, so the orchestrator can measure this process alone: its CPU and RSS (worker threads
 * included) and, for mediasoup, those of its worker child processes.
 *
 *   argv[2]: 'werift' | 'mediasoup'
 *
 *   POST   /viewers        body: SDP offer     → { sessionId, answerSdp }
 *   DELETE /viewers/:id                        → { removed }
 *   GET    /stats                              → SfuStats (werift: with per-shard packetsOut)
 *
 * Env FANOUT_ONAIR_SHARDS sets werift's egress worker count, FANOUT_MEDIASOUP_WORKERS
 * mediasoup's worker processes; the mediasoup worker binary is mediasoupWorkerBinary()
 * (MEDIASOUP_WORKER_BIN or the one scripts/mediasoup/build-worker.sh caches under var/).
 * Exits with its parent.
 */
import http from 'node:http';
import type { Sfu, SfuStats } from '../../server/sfu/Sfu.js';
import { MediasoupSfu } from '../../server/sfu/mediasoup/MediasoupSfu.js';
import { mediasoupWorkerBinary } from '../../server/sfu/mediasoup/workerBinary.js';
import { WeriftSfu } from '../../server/sfu/werift/WeriftSfu.js';
import { pickRtpSourcePorts } from '../../pipeline/encode/rtpSourcePorts.js';
import { exitWithParent, sendToParent } from './ipc.js';
import type { OnairReady } from './protocol.js';

const SHOW_ID = 'bench-fanout';
const MAX_BODY_BYTES = 64 * 1024;

const backend = process.argv[2] === 'mediasoup' ? 'mediasoup' : 'werift';
const positive = (value: string | undefined) => (value ? Number(value) : undefined);

async function start(): Promise<{ sfu: Sfu; detail: () => Promise<SfuStats>; note: string }> {
  if (backend === 'werift') {
    const shards = positive(process.env.FANOUT_ONAIR_SHARDS);
    const sfu = await WeriftSfu.create(shards ? { shards } : {});
    return {
      sfu,
      detail: () => sfu.detailedStats(),
      note: `${sfu.stats().shards.length} egress shards`,
    };
  }
  const binary = mediasoupWorkerBinary();
  if (!binary.exists)
    throw new Error(
      `no mediasoup worker at ${binary.path}: run scripts/mediasoup/build-worker.sh or set MEDIASOUP_WORKER_BIN`,
    );
  const workers = positive(process.env.FANOUT_MEDIASOUP_WORKERS);
  const sfu = await MediasoupSfu.create({
    workerBin: binary.path,
    ...(workers ? { workers } : {}),
    webRtcPort: 0,
  });
  return {
    sfu,
    detail: async () => sfu.stats(),
    note: `${sfu.workerPids().length} worker processes (${binary.path})`,
  };
}

const { sfu, detail, note } = await start();
const ingest = await sfu.createIngest({ showId: SHOW_ID, videoCodec: 'VP8' });
// The ingest drops RTP from any source but the one announced: the bench source sends from this port.
const { video: sourcePort } = await pickRtpSourcePorts();
await sfu.expectIngestSource(SHOW_ID, { video: sourcePort, videoRtcp: 0, audio: sourcePort, audioRtcp: 0 });

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
        reply(res, 200, await detail());
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
    sourcePort,
    backend,
    shards: sfu.stats().shards.length,
    note,
  } satisfies OnairReady);
});

exitWithParent(async () => {
  server.close();
  await sfu.close();
});
