import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../../lib/paths.js';
import type { OnAir } from '../../server/OnAir.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';

// Debian's python3-aiortc lives in the system Python; a pyenv python3 earlier on PATH would not see it.
const PYTHON = '/usr/bin/python3';
const VIEWER = path.join(ROOT_DIR, 'test/helpers/aiortcViewer.py');
const servers: OnAir[] = [];

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface AiortcResult {
  video: number;
  audio: number;
  width: number;
  height: number;
  firstVideoMs: number | null;
}

async function watchWithAiortc(onair: OnAir, showId: string, seconds: number): Promise<AiortcResult> {
  const { stdout } = await promisify(execFile)(PYTHON, [VIEWER, `${onair.url}/whep/${showId}`, String(seconds)], { timeout: (seconds + 25) * 1000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as AiortcResult;
}

for (const codec of ['H264', 'VP8'] as const) {
  test(`an aiortc viewer (an independent WebRTC stack) decodes ${codec} video and Opus audio`, async () => {
    const onair = await startOnAir({ VIDEO_CODEC: codec });
    servers.push(onair);
    const showId = await createShow(onair, `aiortc ${codec}`, { testCard: true });
    const result = await watchWithAiortc(onair, showId, 3);
    console.log(`aiortc ${codec} on ${onair.sfu.backend}: ${JSON.stringify(result)}`);
    assert.ok(result.video >= 45, `${result.video} video frames decoded in 3 s`);
    assert.ok(result.audio >= 75, `${result.audio} audio frames decoded in 3 s`);
    assert.deepEqual([result.width, result.height], [640, 360]);
  });
}
