import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { VideoCodecName } from '../../lib/media/codecs.js';

const run = promisify(execFile);

export type VideoEncoderName = 'h264_nvenc' | 'libx264' | 'libvpx';

export interface VideoEncoderChoice {
  name: VideoEncoderName;
  codec: VideoCodecName;
  hardware: boolean;
  /** Why this encoder was chosen, for logs and /readyz. */
  reason: string;
}

export interface EncoderProbe {
  listEncoders(): Promise<string>;
  /** Resolves when a one-frame encode with this encoder succeeds. */
  encodeOneFrame(encoder: VideoEncoderName): Promise<void>;
}

export const ffmpegProbe: EncoderProbe = {
  async listEncoders() {
    const { stdout } = await run('ffmpeg', ['-hide_banner', '-encoders'], { timeout: 10_000 });
    return stdout;
  },
  async encodeOneFrame(encoder) {
    await run(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=256x144:r=30', '-frames:v', '1', '-c:v', encoder, '-f', 'null', '-'],
      { timeout: 10_000 },
    );
  },
};

/**
 * NVENC only when ffmpeg lists h264_nvenc AND a one-frame encode succeeds: Debian's
 * ffmpeg lists it even on machines without an NVIDIA encoder (H100/H200 have none).
 */
export async function selectVideoEncoder(
  codec: VideoCodecName,
  probe: EncoderProbe = ffmpegProbe,
): Promise<VideoEncoderChoice> {
  if (codec === 'VP8') return { name: 'libvpx', codec, hardware: false, reason: 'VP8 requested' };
  const listed = await probe.listEncoders().catch(() => '');
  if (!/\bh264_nvenc\b/.test(listed)) {
    return { name: 'libx264', codec, hardware: false, reason: 'ffmpeg does not list h264_nvenc' };
  }
  try {
    await probe.encodeOneFrame('h264_nvenc');
    return { name: 'h264_nvenc', codec, hardware: true, reason: 'h264_nvenc probe encode succeeded' };
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n').pop();
    return { name: 'libx264', codec, hardware: false, reason: `h264_nvenc probe failed: ${detail}` };
  }
}
