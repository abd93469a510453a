import type { IngestEndpoint } from '../../server/sfu/Sfu.js';
import { AUDIO_SAMPLE_RATE, type EncoderSettings } from './EncoderSettings.js';
import type { VideoEncoderChoice } from './selectVideoEncoder.js';

/**
 * ffmpeg arguments for the live encoder. Only numbers from validated settings go in;
 * no user text ever reaches ffmpeg's command line. Video comes as RGBA on stdin,
 * mono s16le PCM on fd 3; both leave as RTP to the SFU ingest.
 */
// Inputs are fully described by their flags, so skip probing: it would wait seconds for data.
const LOW_LATENCY_INPUT = ['-fflags', 'nobuffer', '-probesize', '32', '-analyzeduration', '0', '-thread_queue_size', '64'];

export function buildEncoderArgs(
  settings: EncoderSettings,
  encoder: VideoEncoderChoice,
  ingest: IngestEndpoint,
): string[] {
  const gop = Math.max(1, Math.round((settings.keyframeIntervalMs * settings.fps) / 1000));
  const rtpUrl = `rtp://${ingest.host}:${ingest.rtpPort}?rtcpport=${ingest.rtcpPort}&pkt_size=1200`;
  return [
    '-hide_banner', '-loglevel', 'warning', '-nostdin',
    ...LOW_LATENCY_INPUT, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${settings.width}x${settings.height}`,
    '-framerate', String(settings.fps), '-i', 'pipe:0',
    ...LOW_LATENCY_INPUT, '-f', 's16le', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', '1', '-i', 'pipe:3',
    '-map', '0:v:0', ...videoCodecArgs(encoder, gop, settings.videoBitrateKbps),
    '-f', 'rtp', '-payload_type', String(ingest.videoPayloadType), rtpUrl,
    '-map', '1:a:0', '-c:a', 'libopus', '-application', 'lowdelay', '-frame_duration', '20',
    '-b:a', `${settings.audioBitrateKbps}k`,
    '-f', 'rtp', '-payload_type', String(ingest.audioPayloadType), rtpUrl,
  ];
}

function videoCodecArgs(encoder: VideoEncoderChoice, gop: number, kbps: number): string[] {
  const rate = ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${Math.round(kbps / 2)}k`];
  const gopArgs = ['-g', String(gop), '-keyint_min', String(gop), '-bf', '0'];
  switch (encoder.name) {
    case 'h264_nvenc':
      return ['-c:v', 'h264_nvenc', '-preset', 'p1', '-tune', 'ull', '-zerolatency', '1', '-rc', 'cbr',
        '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', ...gopArgs, ...rate];
    case 'libx264':
      return ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
        '-level:v', '3.1', '-pix_fmt', 'yuv420p', '-sc_threshold', '0', '-x264-params', 'repeat-headers=1',
        ...gopArgs, ...rate];
    case 'libvpx':
      return ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0',
        '-error-resilient', '1', '-pix_fmt', 'yuv420p', ...gopArgs, ...rate];
  }
}
