import dgram from 'node:dgram';
import type { RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';

/**
 * Free loopback UDP ports for one encoder process's RTP output: bound together (so they
 * differ), then released for ffmpeg to bind. Another local process that binds one first
 * makes ffmpeg fail to start, and the encoder restarts with new ports.
 */
export async function pickRtpSourcePorts(simulcast = false): Promise<RtpSourcePorts> {
  const sockets = await Promise.all(Array.from({ length: simulcast ? 6 : 4 }, () => bindEphemeral()));
  const [video, videoRtcp, audio, audioRtcp, lowVideo, lowVideoRtcp] = sockets.map((socket) => socket.address().port) as [number, number, number, number, number?, number?];
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return { video, videoRtcp, audio, audioRtcp, ...(simulcast && { lowVideo, lowVideoRtcp }) };
}

function bindEphemeral(): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
