import sdpTransform from 'sdp-transform';
import type { MediaDescription } from 'sdp-transform';
import type { types } from 'mediasoup';
import type { OfferedMedia, ViewerOffer } from '../viewerOffer.js';

export interface AnswerInputs {
  offer: ViewerOffer;
  transport: Pick<types.WebRtcTransport, 'iceParameters' | 'iceCandidates' | 'dtlsParameters'>;
  /** Our DTLS role attribute: the opposite of what the offer leaves us. */
  setup: 'active' | 'passive';
  consumers: { video: types.Consumer; audio: types.Consumer };
  /** Both tracks share it (a=msid), so browsers lip-sync them against each other. */
  streamId: string;
}

/**
 * The SDP answer for a WHEP viewer served by mediasoup (ICE-lite, all candidates included).
 * m-lines keep the offer's order; the ones that do not carry the show are rejected (port 0).
 */
export function answerSdp({ offer, transport, setup, consumers, streamId }: AnswerInputs): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0]!;
  const served = new Map<OfferedMedia, types.Consumer>([
    [offer.video, consumers.video],
    [offer.audio, consumers.audio],
  ]);
  const media = offer.media.map((offered) => {
    const consumer = served.get(offered);
    return consumer ? servedSection(offered, consumer, { transport, setup, streamId, rtcpReducedSize: offer.rtcpReducedSize }) : rejectedSection(offered);
  });
  return sdpTransform.write({
    version: 0,
    origin: { username: 'onair', sessionId: Date.now(), sessionVersion: 1, netType: 'IN', ipVer: 4, address: '0.0.0.0' },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
    msidSemantic: { semantic: 'WMS', token: streamId },
    groups: [{ type: 'BUNDLE', mids: offer.media.filter((m) => served.has(m)).map((m) => m.mid).join(' ') }],
    media,
  });
}

interface SectionContext {
  transport: AnswerInputs['transport'];
  setup: 'active' | 'passive';
  streamId: string;
  rtcpReducedSize: boolean;
}

function servedSection(offered: OfferedMedia, consumer: types.Consumer, context: SectionContext): MediaDescription {
  const { rtpParameters } = consumer;
  const encoding = rtpParameters.encodings![0]!;
  const cname = rtpParameters.rtcp?.cname ?? context.streamId;
  const trackId = `${offered.kind}-${context.streamId}`;
  const ssrcs = [encoding.ssrc!, ...(encoding.rtx?.ssrc ? [encoding.rtx.ssrc] : [])];
  return {
    type: offered.kind,
    port: 9,
    protocol: 'UDP/TLS/RTP/SAVPF',
    payloads: rtpParameters.codecs.map((c) => c.payloadType).join(' '),
    connection: { version: 4, ip: '0.0.0.0' },
    mid: offered.mid,
    direction: 'sendonly',
    iceUfrag: context.transport.iceParameters.usernameFragment,
    icePwd: context.transport.iceParameters.password,
    setup: context.setup,
    candidates: context.transport.iceCandidates.map((c) => ({
      foundation: c.foundation,
      component: 1,
      transport: c.protocol,
      priority: c.priority,
      ip: c.address,
      port: c.port,
      type: c.type,
      ...(c.tcpType && { tcptype: c.tcpType }),
    })),
    endOfCandidates: 'end-of-candidates',
    rtcpMux: 'rtcp-mux',
    ...(context.rtcpReducedSize && { rtcpRsize: 'rtcp-rsize' as const }),
    rtp: rtpParameters.codecs.map((c) => ({
      payload: c.payloadType,
      codec: c.mimeType.split('/')[1]!,
      rate: c.clockRate,
      ...(c.channels && c.channels > 1 && { encoding: c.channels }),
    })),
    fmtp: rtpParameters.codecs
      .filter((c) => c.parameters && Object.keys(c.parameters).length > 0)
      .map((c) => ({ payload: c.payloadType, config: Object.entries(c.parameters!).map(([k, v]) => `${k}=${String(v)}`).join(';') })),
    rtcpFb: rtpParameters.codecs.flatMap((c) =>
      (c.rtcpFeedback ?? []).map((fb) => ({ payload: c.payloadType, type: fb.type, ...(fb.parameter && { subtype: fb.parameter }) })),
    ),
    ext: (rtpParameters.headerExtensions ?? []).map((e) => ({ value: e.id, uri: e.uri })),
    msid: [{ id: context.streamId, appdata: trackId }],
    ssrcs: ssrcs.flatMap((id) => [
      { id, attribute: 'cname', value: cname },
      { id, attribute: 'msid', value: `${context.streamId} ${trackId}` },
    ]),
    ...(ssrcs.length === 2 && { ssrcGroups: [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }] }),
  };
}

function rejectedSection(offered: OfferedMedia): MediaDescription {
  return {
    type: offered.kind,
    port: 0,
    protocol: offered.raw.protocol,
    payloads: offered.raw.payloads ?? '0',
    connection: { version: 4, ip: '0.0.0.0' },
    mid: offered.mid,
    direction: 'inactive',
    rtp: [],
    fmtp: [],
  };
}
