/**
 * bench:live — CPU and memory of one show (server process + its ffmpeg encoder) at 360p30
 * and 720p30, idle and speaking, with one werift viewer attached, plus the share of late
 * frames (frames the live lane produced after their due time). Each is measured three ways,
 * one after the other in the same run: as before (the presenter drawn on the main thread,
 * ffmpeg's own thread count: RENDER_THREAD=0 ENCODER_THREADS=0), with the render thread only,
 * and as now (the defaults).
 */
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { cpuPercent, sampleProcess, type ProcSample } from './fanout/procStats.js';
import { WeriftViewer } from '../test/helpers/weriftViewer.js';

const SECONDS = Number(process.env.LIVE_SECONDS ?? 15);
const HOST_TOKEN = randomBytes(24).toString('base64url');
const auth = { authorization: `Bearer ${HOST_TOKEN}` };
const LINE =
  'Welcome back to the show. Today we take a close look at the new lens, how it handles low light, and what it costs. Stay with us for the details.';

interface Row {
  resolution: string;
  variant: Variant;
  phase: string;
  serverCpu: number;
  ffmpegCpu: number;
  rssMb: number;
  lateShare: number;
}

const VARIANTS = {
  before: { RENDER_THREAD: '0', ENCODER_THREADS: '0' },
  'render thread': { RENDER_THREAD: '1', ENCODER_THREADS: '0' },
  now: { RENDER_THREAD: '1', ENCODER_THREADS: '1' },
} as const;
type Variant = keyof typeof VARIANTS;
const rows: Row[] = [];
for (const resolution of ['360p', '720p']) {
  for (const variant of Object.keys(VARIANTS) as Variant[]) rows.push(...(await measure(resolution, variant)));
}

console.log(`bench:live — one show, libx264 ultrafast/zerolatency + Opus, 1 werift viewer, ${SECONDS} s per phase (% = share of one core)`);
console.log('resolution  variant        phase     server   ffmpeg   total    RSS MB   late frames');
for (const r of rows) {
  console.log(
    `${r.resolution.padEnd(11)} ${r.variant.padEnd(14)} ${r.phase.padEnd(9)} ${pct(r.serverCpu)} ${pct(r.ffmpegCpu)} ${pct(r.serverCpu + r.ffmpegCpu)} ${r.rssMb.toFixed(0).padStart(7)}   ${(r.lateShare * 100).toFixed(2)}%`,
  );
}
console.log('against before:');
for (const r of rows.filter((row) => row.variant !== 'before')) {
  const base = rows.find((row) => row.variant === 'before' && row.resolution === r.resolution && row.phase === r.phase)!;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  console.log(`${r.resolution.padEnd(11)} ${r.variant.padEnd(14)} ${r.phase.padEnd(9)} total ${ratio(r.serverCpu + r.ffmpegCpu, base.serverCpu + base.ffmpegCpu)}, server ${ratio(r.serverCpu, base.serverCpu)}, ffmpeg ${ratio(r.ffmpegCpu, base.ffmpegCpu)}`);
}
console.log('targets: ≤ 50% of a core at 360p30, ≤ 100% at 720p30, late frames ≤ 1%; CPU per show at 360p30 halved');
process.exit(0);

function pct(v: number): string {
  return `${v.toFixed(1)}%`.padStart(8);
}

async function measure(resolution: string, variant: Variant): Promise<Row[]> {
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), RESOLUTION: resolution, HOST_TOKEN, LOG_LEVEL: 'warn', DEMO_SHOW: 'true', ...VARIANTS[variant] },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const showId = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /\/watch\/([a-z0-9]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const viewer = new WeriftViewer({ keepPackets: false });
  const answer = await fetch(`${url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: await viewer.createOffer() });
  await viewer.acceptAnswer(await answer.text());
  await viewer.waitFor(() => viewer.counts.video > 30, 15_000, 'video');
  const ffmpegPid = Number(execFileSync('pgrep', ['-P', String(server.pid), 'ffmpeg']).toString().trim().split('\n')[0]);

  // The first seconds of a process load modules and warm V8 up: not a show's steady cost.
  await new Promise((r) => setTimeout(r, 5_000));
  const phases: Row[] = [];
  for (const phase of ['idle', 'speaking']) {
    let speaking = phase === 'speaking';
    const talk = async () => {
      while (speaking) {
        const cue = (await (await fetch(`${url}/api/shows/${showId}/cues`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ text: LINE }) })).json()) as { id: string };
        for (;;) {
          await new Promise((r) => setTimeout(r, 200));
          const state = ((await (await fetch(`${url}/api/shows/${showId}/cues/${cue.id}`, { headers: auth })).json()) as { state: string }).state;
          if (state !== 'queued' && state !== 'speaking') break;
        }
      }
    };
    const talking = talk();
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await snapshot(url, showId, server.pid!, ffmpegPid);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const after = await snapshot(url, showId, server.pid!, ffmpegPid);
    speaking = false;
    await talking;
    phases.push({
      resolution,
      variant,
      phase,
      serverCpu: cpuPercent(before.server, after.server),
      ffmpegCpu: cpuPercent(before.ffmpeg, after.ffmpeg),
      rssMb: (after.server.rssBytes + after.ffmpeg.rssBytes) / 1e6,
      lateShare: (after.late - before.late) / Math.max(1, after.produced - before.produced),
    });
    await fetch(`${url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: auth });
  }
  await viewer.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  return phases;
}

async function snapshot(url: string, showId: string, serverPid: number, ffmpegPid: number) {
  const info = (await (await fetch(`${url}/api/shows/${showId}`, { headers: auth })).json()) as {
    stream: { framesProduced: number; framesLate: number };
  };
  const server: ProcSample = sampleProcess(serverPid);
  const ffmpeg: ProcSample = sampleProcess(ffmpegPid);
  return { server, ffmpeg, produced: info.stream.framesProduced, late: info.stream.framesLate };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
