import type { types } from 'mediasoup';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE } from '../Sfu.js';
import { type MediaKind, type VideoCodecName } from '../../../lib/media/codecs.js';
import { SfuError } from '../errors.js';
import type { OfferedCodec, ViewerOffer } from '../viewerOffer.js';

/** What our encoder sends: constrained-baseline H264 (packetization-mode 1) or VP8, and Opus. */
const H264_PARAMETERS = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };
const VIDEO_FEEDBACK: types.RtcpFeedback[] = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

/**
 * The payload types a viewer receives on. A consumer sends with its router's payload types,
 * while a WHEP viewer, as the offerer, has already fixed its own; so viewers are served from
 * a router whose payload types are theirs (one per profile, per show and worker).
 */
export interface PayloadProfile {
  video: number;
  audio: number;
}

/** The origin router's profile: what the ingest relay sends. */
export const INGEST_PROFILE: PayloadProfile = { video: VIDEO_PAYLOAD_TYPE, audio: AUDIO_PAYLOAD_TYPE };

export function profileKey(profile: PayloadProfile): string {
  return `${profile.video}/${profile.audio}`;
}

export function routerMediaCodecs(videoCodec: VideoCodecName, profile: PayloadProfile): types.RouterRtpCodecCapability[] {
  return [
    videoCodec === 'H264'
      ? { kind: 'video', mimeType: 'video/H264', preferredPayloadType: profile.video, clockRate: 90_000, parameters: H264_PARAMETERS, rtcpFeedback: VIDEO_FEEDBACK }
      : { kind: 'video', mimeType: 'video/VP8', preferredPayloadType: profile.video, clockRate: 90_000, rtcpFeedback: VIDEO_FEEDBACK },
    { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: profile.audio, clockRate: 48_000, channels: 2 },
  ];
}

/**
 * An imported show's origin router: it is created before the origin node says the show's
 * codec, so it routes either. Payload types are mediasoup's own: a pipe producer's are
 * mapped onto them, and viewer routers map them onto theirs.
 */
export function importRouterMediaCodecs(): types.RouterRtpCodecCapability[] {
  const [h264, audio] = routerMediaCodecs('H264', INGEST_PROFILE);
  const [vp8] = routerMediaCodecs('VP8', INGEST_PROFILE);
  return [h264!, vp8!, audio!].map(({ preferredPayloadType: _, ...codec }) => codec);
}

/**
 * The producers' parameters: exactly the payload types and SSRCs the ingest relay sends. A
 * simulcast video producer lists its low layer first, as mediasoup orders encodings from the
 * lowest spatial layer up; each says its bitrate where it is known (`maxBitrate`, in bps),
 * which travels with the producer through pipes to other workers and nodes.
 */
export function producerParameters(kind: MediaKind, videoCodec: VideoCodecName, encodings: types.RtpEncodingParameters[], cname: string): types.RtpParameters {
  const codec =
    kind === 'audio'
      ? { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48_000, channels: 2 }
      : {
          mimeType: `video/${videoCodec}`,
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90_000,
          rtcpFeedback: VIDEO_FEEDBACK,
          ...(videoCodec === 'H264' && { parameters: H264_PARAMETERS }),
        };
  return { codecs: [codec], encodings, rtcp: { cname, reducedSize: true } };
}

/** The offered codecs the show is sent with: its video codec (constrained baseline first for H264) and Opus. */
export function chooseViewerCodecs(offer: ViewerOffer, videoCodec: VideoCodecName): { video: OfferedCodec; audio: OfferedCodec } {
  const mime = `video/${videoCodec.toLowerCase()}`;
  const candidates = offer.video.codecs.filter((c) => c.mimeType.toLowerCase() === mime && c.clockRate === 90_000);
  const video =
    videoCodec === 'VP8'
      ? candidates[0]
      : (candidates.find((c) => isConstrainedBaseline(c) && Number(c.parameters['packetization-mode']) === 1) ??
        candidates.find((c) => Number(c.parameters['packetization-mode']) === 1));
  const audio = offer.audio.codecs.find((c) => c.mimeType.toLowerCase() === 'audio/opus' && c.clockRate === 48_000);
  if (!video || !audio) throw new SfuError('NO_COMMON_CODEC', `the offer does not accept ${videoCodec} video and Opus audio`);
  return { video, audio };
}

function isConstrainedBaseline(codec: OfferedCodec): boolean {
  return /^42[ce]0/i.test(String(codec.parameters['profile-level-id'] ?? ''));
}

/**
 * The viewer's receive capabilities, as its offer states them: the chosen codecs only (no
 * RTX: its payload type would be the router's, not the viewer's; NACK retransmits in place).
 */
export function viewerCapabilities(offer: ViewerOffer, codecs: { video: OfferedCodec; audio: OfferedCodec }): types.RtpCapabilities {
  const capability = (kind: types.MediaKind, codec: OfferedCodec, parameters: Record<string, unknown>): types.RtpCodecCapability => ({
    kind,
    mimeType: codec.mimeType,
    preferredPayloadType: codec.payloadType,
    clockRate: codec.clockRate,
    ...(codec.channels !== undefined && { channels: codec.channels }),
    parameters,
    rtcpFeedback: codec.rtcpFeedback,
  });
  // The viewer receives our stream's parameters: it has said it decodes this profile.
  const videoParameters = codecs.video.mimeType.toLowerCase() === 'video/h264' ? H264_PARAMETERS : codecs.video.parameters;
  return {
    codecs: [capability('video', codecs.video, videoParameters), capability('audio', codecs.audio, codecs.audio.parameters)],
    headerExtensions: [offer.video, offer.audio].flatMap((media) =>
      media.extensions.map((e) => ({ kind: media.kind as types.MediaKind, uri: e.uri as types.RtpHeaderExtensionUri, preferredId: e.id, direction: 'sendrecv' as const })),
    ),
  };
}
