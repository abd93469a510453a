import { RTCRtpCodecParameters } from 'werift';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE } from '../Sfu.js';

const videoFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

export function videoCodecParameters(codec: VideoCodecName): RTCRtpCodecParameters {
  if (codec === 'H264') {
    return new RTCRtpCodecParameters({
      mimeType: 'video/H264',
      clockRate: 90_000,
      payloadType: VIDEO_PAYLOAD_TYPE,
      rtcpFeedback: videoFeedback,
      parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    });
  }
  return new RTCRtpCodecParameters({
    mimeType: 'video/VP8',
    clockRate: 90_000,
    payloadType: VIDEO_PAYLOAD_TYPE,
    rtcpFeedback: videoFeedback,
  });
}

export function opusCodecParameters(): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: 'audio/opus',
    clockRate: 48_000,
    channels: 2,
    payloadType: AUDIO_PAYLOAD_TYPE,
    parameters: 'minptime=10;useinbandfec=1',
  });
}
