import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import { lowLayerBitrateKbps, lowLayerSize } from '../../lib/media/simulcast.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';
import type { EncoderSettings } from './EncoderSettings.js';
import { forceKeyframeExpr } from './matroskaFrames.js';
import type { VideoEncoderChoice } from './selectVideoEncoder.js';

/** Where one encoder process sends what it encodes. */
export interface EncoderOutputs {
  /** RTP destinations (the SFU ingest): video and Opus audio each. */
  rtp: IngestEndpoint[];
  /** Fragmented MP4 (H.264 + AAC) on fd 4, for recording and HLS. */
  fragments: boolean;
  /**
   * Called with each process's RTP source ports (one per `rtp` entry) before it starts; the
   * process starts once the receivers accept them (see Encoder).
   */
  announceSources?: (sources: RtpSourcePorts[]) => Promise<unknown>;
}

/** The fd the fragmented MP4 output is written to. */
export const FRAGMENTS_FD = 4;
/** Fragments (LL-HLS parts) are at most about this long. */
const MAX_FRAGMENT_MS = 200;

/** Frames from one keyframe to the next. */
export function gopFrames({ fps, keyframeIntervalMs }: Pick<EncoderSettings, 'fps' | 'keyframeIntervalMs'>): number {
  return Math.max(1, Math.round((keyframeIntervalMs * fps) / 1000));
}

/**
 * Frames per fragment: the GOP split into equal parts of at most MAX_FRAGMENT_MS (500 ms at
 * 30 fps → three parts of five frames), so every HLS part but a segment's last is a full one.
 */
export function fragmentFrames(settings: Pick<EncoderSettings, 'fps' | 'keyframeIntervalMs'>): number {
  const gop = gopFrames(settings);
  return Math.ceil(gop / Math.ceil((gop * 1000) / settings.fps / MAX_FRAGMENT_MS));
}

/**
 * ffmpeg arguments for the live encoder. Only numbers from validated settings go in;
 * no user text ever reaches ffmpeg's command line. Video comes as RGBA or I420 frames in a streamed
 * Matroska container on stdin (matroskaFrames.ts: its timestamps carry keyframe requests),
 * mono s16le PCM on fd 3. Everything is encoded once and fanned out by the tee muxer:
 * RTP to the SFU ingest and, for H.264, fragmented MP4 whose slave may fail (its reader
 * went away) without stopping the RTP ones.
 */
// Inputs are fully described by their flags, so skip probing: it would wait seconds for data.
const LOW_LATENCY_INPUT = ['-fflags', 'nobuffer', '-probesize', '32', '-analyzeduration', '0', '-thread_queue_size', '64'];

export function buildEncoderArgs(settings: EncoderSettings, encoder: VideoEncoderChoice, outputs: EncoderOutputs, sources: RtpSourcePorts[] = []): string[] {
  const fragments = outputs.fragments && supportsFragments(settings);
  if (outputs.rtp.length === 0 && !fragments) throw new RangeError('the encoder needs at least one output');
  const gop = gopFrames(settings);
  const low = outputs.rtp.some((ingest) => ingest.simulcast) ? lowLayerSize(settings) : undefined;
  // Stream 0 is video, 1 Opus (RTP), 2 AAC (fragments: MP4 players and HLS want AAC), then the low video layer.
  const lowStream = fragments ? 3 : 2;
  // Each RTP output sends from the local ports announced to its ingest, which drops any other source.
  const slaves = outputs.rtp.flatMap((ingest, i) => {
    const url = `rtp://${ingest.host}:${ingest.rtpPort}?rtcpport=${ingest.rtcpPort}&pkt_size=1200`;
    const source = sources[i];
    const from = (rtp: number | undefined, rtcp: number | undefined) => (rtp === undefined ? '' : `&localrtpport=${rtp}&localrtcpport=${rtcp}`);
    return [
      `[select=0:f=rtp:payload_type=${ingest.videoPayloadType}]${url}${from(source?.video, source?.videoRtcp)}`,
      `[select=1:f=rtp:payload_type=${ingest.audioPayloadType}]${url}${from(source?.audio, source?.audioRtcp)}`,
      ...(low && ingest.simulcast ? [`[select=${lowStream}:f=rtp:payload_type=${ingest.videoPayloadType}]${url}${from(source?.lowVideo, source?.lowVideoRtcp)}`] : []),
    ];
  });
  if (fragments) {
    // ffmpeg cuts a fragment at each keyframe and at the first frame at or past frag_duration:
    // a millisecond under the part's length makes that the frame that starts the next part.
    const fragmentUs = Math.round((fragmentFrames(settings) * 1e6) / settings.fps) - 1_000;
    slaves.push(`[select=\\'0,2\\':f=mp4:movflags=+empty_moov+default_base_moof+frag_keyframe:frag_duration=${fragmentUs}:flush_packets=1:onfail=ignore]pipe:${FRAGMENTS_FD}`);
  }
  // Both layers come from one conversion to yuv420p; the low one is scaled from it.
  const video = low
    ? ['-filter_complex', `[0:v:0]format=yuv420p,split=2[top][full];[full]scale=${low.width}:${low.height}[low]`, '-map', '[top]']
    : ['-map', '0:v:0'];
  const threads = String(settings.threads ?? 1);
  return [
    '-hide_banner', '-loglevel', 'warning', '-nostdin', '-filter_threads', threads, '-filter_complex_threads', threads,
    ...LOW_LATENCY_INPUT, '-f', 'matroska', '-i', 'pipe:0',
    ...LOW_LATENCY_INPUT, '-f', 's16le', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', '1', '-i', 'pipe:3',
    ...video, '-map', '1:a:0', ...(fragments ? ['-map', '1:a:0'] : []), ...(low ? ['-map', '[low]'] : []),
    // The MP4 muxer needs the parameter sets up front; RTP keeps them in-band too.
    ...videoCodecArgs(encoder, gop, settings.videoBitrateKbps), ...(encoder.name === 'libx264' ? ['-threads:v', threads] : []),
    ...(fragments ? ['-flags:v', '+global_header'] : []),
    ...(low ? rateArgs(lowLayerBitrateKbps(settings.videoBitrateKbps), ':v:1') : []),
    // Frames keep their input timestamps, in a time base fine enough for the keyframe mark to survive.
    '-fps_mode:v', 'passthrough', '-enc_time_base:v', '1:90000', '-force_key_frames:v', forceKeyframeExpr(settings.fps),
    '-c:a:0', 'libopus', '-application', 'lowdelay', '-frame_duration', '20', '-b:a:0', `${settings.audioBitrateKbps}k`,
    ...(fragments ? ['-c:a:1', 'aac', '-b:a:1', `${Math.max(settings.audioBitrateKbps, 96)}k`] : []),
    '-f', 'tee', slaves.join('|'),
  ];
}

/** MP4 and HLS carry H.264 here; VP8 shows stream over WebRTC only. */
export function supportsFragments(settings: EncoderSettings): boolean {
  return settings.videoCodec === 'H264';
}

function rateArgs(kbps: number, stream: string): string[] {
  return [`-b${stream || ':v'}`, `${kbps}k`, `-maxrate${stream}`, `${kbps}k`, `-bufsize${stream}`, `${Math.round(kbps / 2)}k`];
}

function videoCodecArgs(encoder: VideoEncoderChoice, gop: number, kbps: number): string[] {
  const rate = rateArgs(kbps, '');
  // x264 counts the GOP from a forced keyframe too: the next regular one comes `gop` frames after it.
  const gopArgs = ['-g', String(gop), '-keyint_min', String(gop), '-bf', '0'];
  switch (encoder.name) {
    case 'h264_nvenc':
      return ['-c:v', 'h264_nvenc', '-preset', 'p1', '-tune', 'ull', '-zerolatency', '1', '-rc', 'cbr', '-forced-idr', '1',
        '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', ...gopArgs, ...rate];
    case 'libx264':
      return ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
        '-level:v', '3.1', '-pix_fmt', 'yuv420p', '-sc_threshold', '0', '-forced-idr', '1', '-x264-params', 'repeat-headers=1',
        ...gopArgs, ...rate];
    case 'libvpx':
      return ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0',
        '-error-resilient', '1', '-pix_fmt', 'yuv420p', ...gopArgs, ...rate];
  }
}
