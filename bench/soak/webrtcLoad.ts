/**
 * Child process: WebRTC viewers of one show (werift, page-like: `SoakViewer`), reporting to
 * the driver once a second. argv[2]: `WebrtcLoadArgs` as JSON; stops on `{type: 'stop'}`.
 */
import { epochMs } from './clock.js';
import type { LoadMessage, StopMessage, WebrtcLoadArgs, WebrtcTick } from './protocol.js';
import { GAP_MS, SoakViewer } from './soakViewer.js';

const args = JSON.parse(process.argv[2]!) as WebrtcLoadArgs;
const send = (message: LoadMessage) => process.send!(message);
let tick: Omit<
  WebrtcTick,
  'type' | 'atMs' | 'viewers' | 'playing' | 'stalled' | 'expected' | 'received'
> = { drops: [], lagMs: [], gaps: [] };
const viewers: SoakViewer[] = [];
let stopping = false;

function makeViewer(i: number): SoakViewer {
  const viewer = args.firstViewer + i;
  return new SoakViewer(args.url, args.showId, viewer % args.lagEvery === 0, {
    gap: (startMs, endMs) => tick.gaps.push({ viewer, startMs, endMs }),
    drop: (reason) => tick.drops.push({ viewer, atMs: epochMs(), reason }),
    lag: (ms) => tick.lagMs.push(ms),
  });
}

process.on('message', (message: StopMessage) => {
  if (message.type !== 'stop' || stopping) return;
  stopping = true;
  void Promise.allSettled(viewers.map((v) => v.stop())).then(() => {
    send({ type: 'stopped' });
    process.exit(0);
  });
});
// The driver gone (killed): no viewer outlives it.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the driver, not the terminal, stops the viewers (and reports).
process.on('SIGINT', () => undefined);

try {
  // A few offers at a time: each one's ICE gathering and DTLS handshake cost this process CPU.
  for (let i = 0; i < args.count; i += 5) {
    const batch = Array.from({ length: Math.min(5, args.count - i) }, (_, j) => makeViewer(i + j));
    viewers.push(...batch);
    await Promise.all(batch.map((v) => v.start()));
  }
} catch (error) {
  send({ type: 'failed', error: (error as Error).message });
  process.exit(1);
}
send({ type: 'ready', viewers: viewers.length });

let lastExpected = 0;
let lastReceived = 0;
setInterval(() => {
  if (stopping) return;
  const now = epochMs();
  const expected = viewers.reduce((n, v) => n + v.expected, 0);
  const received = viewers.reduce((n, v) => n + v.received, 0);
  const stalled = viewers.flatMap((v, i) =>
    v.lastVideoAtMs === undefined || now - v.lastVideoAtMs >= GAP_MS
      ? [{ viewer: args.firstViewer + i, sinceMs: v.lastVideoAtMs ?? now }]
      : [],
  );
  send({
    type: 'tick',
    atMs: now,
    viewers: viewers.length,
    playing: viewers.filter((v) => v.lastVideoAtMs !== undefined && now - v.lastVideoAtMs < 2_000)
      .length,
    stalled,
    expected: expected - lastExpected,
    received: received - lastReceived,
    ...tick,
  });
  lastExpected = expected;
  lastReceived = received;
  tick = { drops: [], lagMs: [], gaps: [] };
}, 1_000);
