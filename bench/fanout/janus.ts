/**
 * The comparison SFU: Janus 1.1 with only the streaming plugin and the HTTP transport,
 * configured in a private temp folder and run inside its own network namespace (netns.ts).
 *
 * Janus 1.1 skips loopback interfaces when it lists local addresses for ICE, so it cannot
 * offer a 127.0.0.1 candidate. Instead it runs in `onair-fanout-<pid>`, a namespace this run
 * creates, and everything Janus does is on that namespace's veth address: the HTTP API, the
 * RTP input and the ICE host candidate (`ice_enforce_list` = the namespace's veth).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STREAM } from './config.js';
import { pinned, stopChild, track } from './ipc.js';
import { assertBenchTarget, cleanStaleNetns, createNetns, type BenchNetns } from './netns.js';

export const JANUS_MOUNTPOINT_ID = 4242;
/** Fixed ports: the namespace is new and private, so nothing else holds them. */
const HTTP_PORT = 8088;
const VIDEO_PORT = 5004;
const AUDIO_PORT = 5006;

export interface JanusInstance {
  pid: number;
  apiUrl: string;
  /** Where the RTP source sends Janus' copy of the stream (the namespace address). */
  rtpAddress: string;
  videoPort: number;
  audioPort: number;
  mountpointId: number;
  logFile: string;
  /** The namespace Janus runs in. */
  netns: BenchNetns;
  /** Host end of the veth: Janus viewers bind their ICE here, the source sends from here. */
  viewerAddress: string;
  stop(): Promise<void>;
}

const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu/janus',
  '/usr/lib/aarch64-linux-gnu/janus',
  '/usr/lib/janus',
  '/usr/local/lib/janus',
  '/opt/janus/lib/janus',
];

function janusLibDir(): string {
  const dir = LIB_DIRS.find((d) => existsSync(path.join(d, 'plugins', 'libjanus_streaming.so')));
  if (!dir) throw new Error(`Janus streaming plugin not found under ${LIB_DIRS.join(', ')}`);
  return dir;
}

/** Every .so in a folder except the ones we keep, for the jcfg `disable` lists. */
function allExcept(dir: string, keep: string[]): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => /^libjanus_[a-z0-9_]+\.so$/.test(f) && !keep.includes(f))
    .join(',');
}

export async function startJanus(
  options: { threads?: number; cpus?: string } = {},
): Promise<JanusInstance> {
  const lib = janusLibDir();
  cleanStaleNetns();
  const netns = createNetns(); // throws NetnsUnavailableError: no fallback to a host address
  try {
    return await startInNetns(lib, netns, options);
  } catch (error) {
    netns.destroy();
    throw error;
  }
}

async function startInNetns(
  lib: string,
  netns: BenchNetns,
  options: { threads?: number; cpus?: string },
): Promise<JanusInstance> {
  const address = assertBenchTarget(netns.nsAddress);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onair-bench-janus-'));
  const [httpPort, videoPort, audioPort] = [HTTP_PORT, VIDEO_PORT, AUDIO_PORT];
  const logFile = path.join(dir, 'janus.log');

  writeFileSync(
    path.join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${lib}/plugins"
  transports_folder = "${lib}/transports"
  events_folder = "${lib}/events"
  loggers_folder = "${lib}/loggers"
  debug_level = ${process.env.FANOUT_JANUS_DEBUG ?? 3}
  session_timeout = 60
  server_name = "onair-bench-janus"
}
media: {
  rtp_port_range = "40000-49999"
}
nat: {
  nice_debug = false
  ice_enforce_list = "${netns.nsIf}"
  ignore_mdns = true
}
plugins: {
  disable = "${allExcept(`${lib}/plugins`, ['libjanus_streaming.so'])}"
}
transports: {
  disable = "${allExcept(`${lib}/transports`, ['libjanus_http.so'])}"
}
loggers: {
  disable = "${allExcept(`${lib}/loggers`, [])}"
}
events: {
  broadcast = false
}
`,
  );
  writeFileSync(
    path.join(dir, 'janus.transport.http.jcfg'),
    `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${httpPort}
  ip = "${address}"
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
`,
  );
  writeFileSync(
    path.join(dir, 'janus.plugin.streaming.jcfg'),
    `general: {
}
onair-bench: {
  type = "rtp"
  id = ${JANUS_MOUNTPOINT_ID}
  description = "OnAir fan-out benchmark feed"
  audio = true
  video = true
  audioport = ${audioPort}
  audioiface = "${address}"
  audiopt = ${STREAM.audioPayloadType}
  audiocodec = "opus"
  videoport = ${videoPort}
  videoiface = "${address}"
  videopt = ${STREAM.videoPayloadType}
  videocodec = "vp8"
  threads = ${options.threads ?? 0}
}
`,
  );

  const [janus, janusArgs] = pinned(options.cpus, 'janus', [
    '--configs-folder',
    dir,
    '--config',
    path.join(dir, 'janus.jcfg'),
    '--log-file',
    logFile,
    '--disable-stdout',
    '--disable-colors',
  ]);
  // `ip netns exec` (and taskset) exec Janus, so the child's pid is Janus itself; its /proc
  // entry is visible from the host like any other process.
  const [command, args] = netns.exec(janus, janusArgs);
  const child = track(spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] }));
  const apiUrl = `http://${address}:${httpPort}/janus`;
  try {
    await waitForJanus(child, apiUrl, 15_000, logFile);
  } catch (error) {
    await stopChild(child, 2000);
    throw error;
  }

  return {
    pid: child.pid!,
    apiUrl,
    rtpAddress: address,
    videoPort,
    audioPort,
    mountpointId: JANUS_MOUNTPOINT_ID,
    logFile,
    netns,
    viewerAddress: netns.hostAddress,
    async stop() {
      await stopChild(child, 5000);
      netns.destroy();
      if (!process.env.FANOUT_KEEP_JANUS_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForJanus(
  child: ChildProcess,
  apiUrl: string,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`janus exited with ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`${apiUrl}/info`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) {
        const info = (await response.json()) as { plugins?: Record<string, unknown> };
        if (info.plugins && 'janus.plugin.streaming' in info.plugins) return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`janus did not answer on ${apiUrl} within ${timeoutMs} ms; see ${logFile}`);
}
