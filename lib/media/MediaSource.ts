/** Position of one video frame on the show clock. Audio samples are the master clock. */
export interface FrameTime {
  index: number;
  /** First audio sample (48 kHz) that plays with this frame. */
  startSample: number;
  streamTimeMs: number;
}

/** What the live lane pulls from, frame by frame: the test card now, the presenter later. */
export interface MediaSource {
  readonly width: number;
  readonly height: number;
  /** Renders at another size from the next frame on (overload degradation). */
  resize?(width: number, height: number): void;
  /** Called once per frame, before rendering, also when the picture is repeated. */
  advance?(frame: FrameTime): void;
  /** RGBA pixels, width*height*4 bytes. */
  renderVideo(frame: FrameTime): Buffer;
  /** Mono s16 PCM at 48 kHz, `samples` long, starting at frame.startSample. */
  renderAudio(frame: FrameTime, samples: number): Int16Array;
}
