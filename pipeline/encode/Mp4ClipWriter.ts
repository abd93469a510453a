import ffmpeg from 'fluent-ffmpeg';
import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';

export interface Mp4ClipOptions {
  width: number;
  height: number;
  fps: number;
  /** Where the MP4 goes; a path we made, never user text. */
  outputPath: string;
  /** A scratch path for the WAV track. */
  wavPath: string;
}

/**
 * Encodes RGBA frames plus 48 kHz mono PCM into an MP4 (H264 + AAC, fast start) through
 * fluent-ffmpeg: frames stream in on stdin with back-pressure, audio comes from a WAV file.
 */
export class Mp4ClipWriter {
  private readonly frames = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
  private readonly done: Promise<void>;
  private command: ffmpeg.FfmpegCommand | undefined;

  private constructor(private readonly options: Mp4ClipOptions) {
    this.done = new Promise((resolve, reject) => {
      this.command = ffmpeg()
        .input(this.frames)
        .inputFormat('rawvideo')
        .inputOptions(['-pix_fmt', 'rgba', '-video_size', `${options.width}x${options.height}`, '-framerate', String(options.fps)])
        .input(options.wavPath)
        .videoCodec('libx264')
        .audioCodec('aac')
        .audioBitrate(96)
        .outputOptions(['-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-shortest', '-threads', '1'])
        .format('mp4')
        .on('error', (error: Error) => reject(error))
        .on('end', () => resolve())
        .save(options.outputPath);
    });
    this.done.catch(() => undefined);
  }

  static async open(options: Mp4ClipOptions, pcm: Int16Array): Promise<Mp4ClipWriter> {
    await writeFile(options.wavPath, wav(pcm));
    return new Mp4ClipWriter(options);
  }

  async writeFrame(rgba: Uint8Array): Promise<void> {
    if (!this.frames.write(rgba)) await Promise.race([once(this.frames, 'drain'), this.done]);
  }

  async finish(): Promise<void> {
    this.frames.end();
    await this.done;
  }

  abort(): void {
    this.command?.kill('SIGKILL');
    this.frames.destroy();
  }
}

function wav(pcm: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  const dataBytes = pcm.length * 2;
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(AUDIO_SAMPLE_RATE, 24);
  header.writeUInt32LE(AUDIO_SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}
