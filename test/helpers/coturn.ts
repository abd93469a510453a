import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Coturn {
  /** UDP and TCP listening port on 127.0.0.1. */
  port: number;
  /** What coturn has logged so far (stdout), the last 256 KiB. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn on loopback with the TURN REST API (`use-auth-secret`), for tests: no TLS,
 * no CLI, relays on 127.0.0.1, loopback peers allowed (the SFU is on loopback too). It is
 * killed when the test process exits, whatever happens.
 */
export async function startCoturn(secret: string): Promise<Coturn> {
  const port = await freePort();
  const relayMin = randomInt(50_000, 59_000);
  const dir = mkdtempSync(join(tmpdir(), 'onair-coturn-'));
  let output = '';
  // The shell ends turnserver when this process's end of its stdin closes (even on SIGKILL of
  // the test), and `timeout` after 10 minutes whatever happens.
  const watchdog = 'exec 3<&0; timeout 600 "$0" "$@" & t=$!; (cat <&3 >/dev/null; kill $t 2>/dev/null) & wait $t';
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      watchdog,
      process.env.TURNSERVER_PATH ?? 'turnserver',
      '-n', // no configuration file
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayMin}`,
      `--max-port=${relayMin + 199}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=onair.test',
      '--allow-loopback-peers',
      '--fingerprint',
      '--log-file=stdout',
      '--simple-log',
      '--verbose', // session lines (ALLOCATE processed, success) that tests read
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      `--db=${join(dir, 'turndb')}`,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-256 * 1024);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.stdin!.destroy();
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`turnserver exited at start:\n${output.slice(-4000)}`);
    }
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not listen on ${port} within 10 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, log: () => output, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A port free on 127.0.0.1 for both TCP and UDP at the time of asking. */
async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
    if (attempt >= 10) throw new Error('no port free for both TCP and UDP');
  }
}
