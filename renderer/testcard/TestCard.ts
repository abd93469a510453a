import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { FrameTime, MediaSource } from '../../lib/media/MediaSource.js';
import { frameCodeBits, frameCodeBlockSize } from '../frameCode.js';

const BARS = ['#c0c0c0', '#c0c000', '#00c0c0', '#00c000', '#c000c0', '#c00000', '#0000c0'];
const TONE_HZ = 440;
const BEEP_HZ = 1_000;
const BEEP_MS = 200;
const SAMPLE_RATE = 48_000;

/**
 * The renderer's own test card: colour bars, a clock, a frame counter, a sweep bar and a
 * frame code; a quiet 440 Hz tone with a 1 kHz beep (and a white flash) on each second.
 */
export class TestCard implements MediaSource {
  private canvas!: Canvas;
  private ctx!: SKRSContext2D;
  private plate!: Canvas;

  constructor(
    public width = 640,
    public height = 360,
    private readonly title = 'OnAir test card',
  ) {
    this.resize(width, height);
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d');
    this.plate = this.buildPlate();
  }

  renderVideo(frame: FrameTime): Buffer {
    const { ctx, width, height } = this;
    ctx.drawImage(this.plate, 0, 0);
    const second = Math.floor(frame.streamTimeMs / 1000);
    const intoSecondMs = frame.streamTimeMs - second * 1000;
    if (intoSecondMs < BEEP_MS) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(width - height / 6, height / 12, height / 8, height / 8);
    }
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(((intoSecondMs / 1000) * width) | 0, height * 0.62, Math.max(4, width / 80), height * 0.06);
    ctx.font = `bold ${Math.round(height / 9)}px sans-serif`;
    ctx.fillText(new Date().toISOString().slice(11, 23), width * 0.05, height * 0.82);
    ctx.font = `${Math.round(height / 14)}px sans-serif`;
    ctx.fillText(`frame ${frame.index}  t=${(frame.streamTimeMs / 1000).toFixed(2)} s`, width * 0.05, height * 0.94);
    this.drawFrameCode(frame.index);
    return this.canvas.data();
  }

  renderAudio(frame: FrameTime, samples: number): Int16Array {
    const pcm = new Int16Array(samples);
    for (let i = 0; i < samples; i++) {
      const n = frame.startSample + i;
      const intoSecondMs = ((n % SAMPLE_RATE) / SAMPLE_RATE) * 1000;
      const beep = intoSecondMs < BEEP_MS;
      const hz = beep ? BEEP_HZ : TONE_HZ;
      const amplitude = beep ? 0.35 : 0.08;
      pcm[i] = Math.round(Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE) * amplitude * 32767);
    }
    return pcm;
  }

  private drawFrameCode(frameIndex: number): void {
    const block = frameCodeBlockSize(this.height);
    frameCodeBits(frameIndex).forEach((bit, i) => {
      this.ctx.fillStyle = bit ? '#ffffff' : '#000000';
      this.ctx.fillRect(i * block, 0, block, block);
    });
  }

  private buildPlate(): Canvas {
    const plate = createCanvas(this.width, this.height);
    const ctx = plate.getContext('2d');
    const barWidth = this.width / BARS.length;
    BARS.forEach((colour, i) => {
      ctx.fillStyle = colour;
      ctx.fillRect(Math.floor(i * barWidth), 0, Math.ceil(barWidth), this.height * 0.6);
    });
    ctx.fillStyle = '#101820';
    ctx.fillRect(0, this.height * 0.6, this.width, this.height * 0.4);
    ctx.fillStyle = '#ffffff';
    ctx.font = `bold ${Math.round(this.height / 12)}px sans-serif`;
    ctx.fillText(this.title, this.width * 0.05, this.height * 0.3);
    return plate;
  }
}
