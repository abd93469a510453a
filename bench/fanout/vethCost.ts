/**
 * Side measurement for the fan-out benchmark: what a packet costs over the Janus namespace's
 * veth compared with loopback. One UDP sender pushes 1112-byte datagrams at the rate Janus
 * sends to 100 viewers (17 000/s), alternately
 *   - lo:   sender 127.0.0.1 → receiver 127.0.0.1 (both on the host, as OnAir and its viewers), and
 *   - veth: sender in the namespace (10.213.x.2) → receiver on the host end (10.213.x.1),
 *           the direction Janus → its viewers takes in the benchmark,
 * and compares the sender's CPU (the SFU's side of the cost) and the whole host's busy time.
 *
 *   npx tsx bench/fanout/vethCost.ts            # VETH_PPS=17000 VETH_SECONDS=5 VETH_ROUNDS=3
 *
 * Only loopback and the namespace it creates (and deletes) are addressed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { isType, stopChild, track, waitForMessage } from './ipc.js';
import { assertBenchTarget, cleanStaleNetns, createNetns } from './netns.js';
import { cpuPercent, hostBusyPercent, sampleHost, sampleProcess } from './procStats.js';

const PACKET_BYTES = 1112;
const [mode, ...rest] = process.argv.slice(2);

if (mode === 'receiver') {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  let received = 0;
  socket.on('message', () => received++);
  socket.bind(0, rest[0], () => process.send?.({ type: 'ready', port: socket.address().port }));
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'count') process.send?.({ type: 'count', received });
  });
  process.on('disconnect', () => process.exit(0));
} else if (mode === 'sender') {
  const [host, port, bind, pps] = [rest[0]!, Number(rest[1]), rest[2]!, Number(rest[3])];
  assertBenchTarget(host);
  const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
  const packet = Buffer.alloc(PACKET_BYTES, 0x5a);
  socket.bind(0, bind, () => {
    const start = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.floor(((performance.now() - start) / 1000) * pps);
      while (sent < due) {
        socket.send(packet, port, host);
        sent++;
      }
      setTimeout(tick, 1);
    };
    tick();
    process.send?.({ type: 'ready' });
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

function child(prefix: string[], args: string[]): ChildProcess {
  const file = fileURLToPath(import.meta.url);
  const [command, ...head] = [...prefix, process.execPath];
  return track(
    spawn(command!, [...head, '--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

async function main(): Promise<void> {
  const pps = Number(process.env.VETH_PPS ?? 17_000);
  const seconds = Number(process.env.VETH_SECONDS ?? 5);
  const rounds = Number(process.env.VETH_ROUNDS ?? 3);
  cleanStaleNetns();
  const netns = createNetns();
  const inNs = ['ip', 'netns', 'exec', netns.name];
  const results: Record<'lo' | 'veth', { sender: number; receiver: number; host: number }[]> = {
    lo: [],
    veth: [],
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const path of ['lo', 'veth'] as const) {
        const [rxAddress, txAddress, txPrefix] =
          path === 'lo'
            ? ['127.0.0.1', '127.0.0.1', []]
            : [netns.hostAddress, netns.nsAddress, inNs];
        const receiver = child([], ['receiver', rxAddress]);
        const { port } = await waitForMessage(
          receiver,
          isType<{ type: 'ready'; port: number }>('ready'),
          15_000,
          'receiver',
        );
        // veth: the sender runs in the namespace, bound to its end, as Janus does.
        const sender = child(txPrefix, ['sender', rxAddress, String(port), txAddress, String(pps)]);
        await waitForMessage(sender, isType<{ type: 'ready' }>('ready'), 15_000, 'sender');
        await new Promise((r) => setTimeout(r, 1000));
        const [s0, r0, h0] = [sampleProcess(sender.pid!), sampleProcess(receiver.pid!), sampleHost()];
        await new Promise((r) => setTimeout(r, seconds * 1000));
        const [s1, r1, h1] = [sampleProcess(sender.pid!), sampleProcess(receiver.pid!), sampleHost()];
        await stopChild(sender);
        await stopChild(receiver);
        const result = {
          sender: cpuPercent(s0, s1),
          receiver: cpuPercent(r0, r1),
          host: hostBusyPercent(h0, h1) * os.availableParallelism(),
        };
        results[path].push(result);
        console.log(
          `round ${round + 1} ${path.padEnd(4)}: sender ${result.sender.toFixed(1)}% core, receiver ${result.receiver.toFixed(1)}%, host busy ${result.host.toFixed(1)}% core`,
        );
      }
    }
  } finally {
    netns.destroy();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const key of ['sender', 'receiver', 'host'] as const) {
    const lo = mean(results.lo.map((r) => r[key]));
    const veth = mean(results.veth.map((r) => r[key]));
    console.log(
      `${key.padEnd(8)}: lo ${lo.toFixed(1)}% core, veth ${veth.toFixed(1)}% core, ` +
        `difference ${(veth - lo).toFixed(1)}% core = ${(((veth - lo) / 100 / pps) * 1e6).toFixed(2)} µs/packet`,
    );
  }
  process.exit(0);
}
