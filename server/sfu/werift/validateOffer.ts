import type { VideoCodecName } from '../Sfu.js';
import { InvalidSdpError, SfuError } from '../errors.js';

/** Cheap structural checks before an offer reaches werift, so bad input gets a precise error. */
export function validateOffer(sdp: string, videoCodec: VideoCodecName): void {
  if (!sdp.startsWith('v=0')) throw new InvalidSdpError('an SDP offer must start with "v=0"');
  if (!/^m=video /m.test(sdp) || !/^m=audio /m.test(sdp)) {
    throw new InvalidSdpError('the offer must have an audio and a video m-line');
  }
  if (!/^a=ice-ufrag:/m.test(sdp) || !/^a=fingerprint:/m.test(sdp)) {
    throw new InvalidSdpError('the offer lacks ICE credentials or a DTLS fingerprint');
  }
  if (!new RegExp(`^a=rtpmap:\\d+ ${videoCodec}/90000`, 'mi').test(sdp)) {
    throw new SfuError('NO_COMMON_CODEC', `the offer does not accept ${videoCodec} video`);
  }
  if (!/^a=rtpmap:\d+ opus\/48000/im.test(sdp)) {
    throw new SfuError('NO_COMMON_CODEC', 'the offer does not accept Opus audio');
  }
}
