import sdpTransform from 'sdp-transform';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type { MediaKind, VideoCodecName } from '../../lib/media/codecs.js';
import { InvalidSdpError, SfuError } from './errors.js';

/**
 * A viewer's WHEP offer, parsed and checked once for every SFU backend. The limits keep
 * parsing cheap and bounded: a browser's offer for one show has two m-lines, a few hundred
 * lines and a few KiB, so anything far beyond that is refused before any backend sees it.
 */
export const MAX_MEDIA_SECTIONS = 4;
export const MAX_SDP_LINES = 1_000;
export const MAX_SDP_BYTES = 64 * 1024;

export interface OfferedCodec {
  payloadType: number;
  /** `video/H264`, `audio/opus`, … as written in the offer. */
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: { type: string; parameter: string }[];
}

export interface OfferedMedia {
  /** Position of the m-line in the offer; an answer keeps the same order. */
  index: number;
  kind: string;
  mid: string;
  codecs: OfferedCodec[];
  extensions: { id: number; uri: string }[];
  raw: MediaDescription;
}

export interface ViewerOffer {
  session: SessionDescription;
  media: OfferedMedia[];
  /** The m-lines that carry the show: the first receiving video and audio ones. */
  video: OfferedMedia;
  audio: OfferedMedia;
  ice: { ufrag: string; pwd: string };
  fingerprints: { algorithm: string; value: string }[];
  /** The offerer's DTLS role attribute. */
  setup: 'actpass' | 'active' | 'passive';
  rtcpReducedSize: boolean;
}

/** Parses and checks an offer: structure, limits, and that it accepts the show's codecs. */
export function parseViewerOffer(sdp: string, videoCodec: VideoCodecName): ViewerOffer {
  checkOfferLimits(sdp);
  let session: SessionDescription;
  try {
    session = sdpTransform.parse(sdp);
  } catch (error) {
    throw new InvalidSdpError(`the offer does not parse: ${(error as Error).message}`);
  }
  const media = session.media.map(toOfferedMedia);
  const video = receiving(media, 'video');
  const audio = receiving(media, 'audio');
  if (!video || !audio) throw new InvalidSdpError('the offer must have an audio and a video m-line that receive');
  const ufrag = video.raw.iceUfrag ?? session.iceUfrag;
  const pwd = video.raw.icePwd ?? session.icePwd;
  const fingerprint = video.raw.fingerprint ?? session.fingerprint;
  if (!ufrag || !pwd || !fingerprint) throw new InvalidSdpError('the offer lacks ICE credentials or a DTLS fingerprint');
  const setup = video.raw.setup ?? session.setup ?? 'actpass';
  if (setup !== 'actpass' && setup !== 'active' && setup !== 'passive') throw new InvalidSdpError(`unknown DTLS setup "${setup}"`);
  if (!video.codecs.some((c) => acceptsVideo(c, videoCodec))) throw new SfuError('NO_COMMON_CODEC', `the offer does not accept ${videoCodec} video`);
  if (!audio.codecs.some((c) => c.mimeType.toLowerCase() === 'audio/opus' && c.clockRate === 48_000)) {
    throw new SfuError('NO_COMMON_CODEC', 'the offer does not accept Opus audio');
  }
  return {
    session,
    media,
    video,
    audio,
    ice: { ufrag, pwd },
    fingerprints: [{ algorithm: fingerprint.type.toLowerCase(), value: fingerprint.hash }],
    setup,
    rtcpReducedSize: video.raw.rtcpRsize !== undefined,
  };
}

/**
 * The limits alone, in time linear in at most MAX_SDP_LINES lines: WHEP calls this before it
 * mints a viewer token or asks the SFU anything, so a hostile offer costs next to nothing.
 */
export function checkOfferLimits(sdp: string): void {
  if (sdp.length > MAX_SDP_BYTES) throw new InvalidSdpError(`the offer is larger than ${MAX_SDP_BYTES / 1024} KiB`);
  if (!sdp.startsWith('v=0')) throw new InvalidSdpError('an SDP offer must start with "v=0"');
  const lines = countLines(sdp, MAX_SDP_LINES);
  if (lines > MAX_SDP_LINES) throw new InvalidSdpError(`the offer has more than ${MAX_SDP_LINES} lines`);
  const mLines = (sdp.match(/^m=/gm) ?? []).length;
  if (mLines > MAX_MEDIA_SECTIONS) throw new SfuError('TOO_MANY_MEDIA', `the offer has ${mLines} m-lines; at most ${MAX_MEDIA_SECTIONS} are accepted`);
}

/** H264 must be packetization-mode 1, as the encoder sends it; VP8 has no parameters to match. */
function acceptsVideo(codec: OfferedCodec, videoCodec: VideoCodecName): boolean {
  if (codec.mimeType.toLowerCase() !== `video/${videoCodec.toLowerCase()}` || codec.clockRate !== 90_000) return false;
  return videoCodec !== 'H264' || Number(codec.parameters['packetization-mode'] ?? 0) === 1;
}

function receiving(media: OfferedMedia[], kind: MediaKind): OfferedMedia | undefined {
  return media.find((m) => m.kind === kind && m.raw.port !== 0 && (m.raw.direction === undefined || m.raw.direction === 'recvonly' || m.raw.direction === 'sendrecv'));
}

function toOfferedMedia(raw: MediaDescription, index: number): OfferedMedia {
  const fmtp = new Map((raw.fmtp ?? []).map((f) => [f.payload, f.config]));
  const codecs = (raw.rtp ?? []).map(
    (rtp): OfferedCodec => ({
      payloadType: rtp.payload,
      mimeType: `${raw.type}/${rtp.codec}`,
      clockRate: rtp.rate ?? 0,
      ...(rtp.encoding !== undefined && { channels: Number(rtp.encoding) }),
      parameters: parseParameters(fmtp.get(rtp.payload)),
      rtcpFeedback: (raw.rtcpFb ?? [])
        .filter((fb) => String(fb.payload) === String(rtp.payload) || fb.payload === '*')
        .map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' })),
    }),
  );
  return {
    index,
    kind: raw.type,
    mid: raw.mid !== undefined ? String(raw.mid) : String(index),
    codecs,
    extensions: (raw.ext ?? []).map((e) => ({ id: e.value, uri: e.uri })),
    raw,
  };
}

function parseParameters(config: string | undefined): Record<string, string | number> {
  if (!config) return {};
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(sdpTransform.parseParams(config))) {
    // Own keys only, so a crafted "__proto__=…" parameter cannot reach an object's prototype.
    if (value !== undefined && key !== '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true });
  }
  return out;
}

function countLines(text: string, limit: number): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1 && count <= limit; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
