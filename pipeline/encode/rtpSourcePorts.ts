import dgram from 'node:dgram';
import type { RtpSourcePorts } from '../../lib/media/IngestEndpoint.js';

/**
 * Free loopback UDP ports for one encoder process's RTP output: bound together (so they
 * differ), then released for ffmpeg to bind. Another local process that binds one first
 * makes ffmpeg fail to start, and the encoder restarts with new ports.
 */
export async function pickRtpSourcePorts(): Promise<RtpSourcePorts> {
  const sockets = await Promise.all([0, 1, 2, 3].map(() => bindEphemeral()));
  const [video, videoRtcp, audio, audioRtcp] = sockets.map((socket) => socket.address().port) as [number, number, number, number];
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return { video, videoRtcp, audio, audioRtcp };
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
