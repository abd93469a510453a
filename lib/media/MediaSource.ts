/** Position of one video frame on the show clock. Audio samples are the master clock. */
export interface FrameTime {
  index: number;
  /** First audio sample (48 kHz) that plays with this frame. */
  startSample: number;
  streamTimeMs: number;
}

/**
 * How long a picture from `renderVideo` stays as it is: a source may draw into memory it
 * reuses (the presenter's render thread does), so a picture may change once this many more
 * have been drawn. Whoever keeps pictures longer copies them; the encoder queues fewer.
 */
export const PICTURE_LIFETIME_FRAMES = 12;

/** How a source's pictures are laid out: RGBA (4 bytes a pixel) or I420 (planar 4:2:0, BT.601 limited range). */
export type PixelFormat = 'rgba' | 'yuv420p';

/** What the live lane pulls from, frame by frame: the test card now, the presenter later. */
export interface MediaSource {
  readonly width: number;
  readonly height: number;
  /** The layout of `renderVideo`'s pictures; RGBA when absent. */
  readonly pixelFormat?: PixelFormat;
  /** Renders at another size from the next frame on (overload degradation). */
  resize?(width: number, height: number): void;
  /** Called once per frame, before rendering, also when the picture is repeated. */
  advance?(frame: FrameTime): void;
  /** The picture in `pixelFormat`, unchanged for PICTURE_LIFETIME_FRAMES frames. */
  renderVideo(frame: FrameTime): Buffer;
  /** Mono s16 PCM at 48 kHz, `samples` long, starting at frame.startSample. */
  renderAudio(frame: FrameTime, samples: number): Int16Array;
  /** Releases what the source holds (threads, buffers) once the show ends. */
  close?(): void;
}
