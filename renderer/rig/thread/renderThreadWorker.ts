import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { i420Bytes, rgbaToI420 } from '../../i420.js';
import { decodeAtlas } from '../atlasBundle.js';
import { Compositor } from '../Compositor.js';
import { Control, readPose, type RenderThreadData, type RenderThreadMessage } from './protocol.js';

/**
 * The render thread: draws frames on request, converts them to I420 and copies them into
 * shared slots. Overlay changes are read synchronously before each frame, so a frame sees
 * every change posted before it was requested.
 */
const data = workerData as RenderThreadData;
const port = parentPort!;
const control = new Int32Array(data.control);
const pose = new Float64Array(data.pose);
const frames = new Uint8Array(data.frames);

const compositors = data.compositors.map((spec) => {
  const compositor = new Compositor(decodeAtlas(spec.persona, Buffer.from(spec.bundle.buffer, spec.bundle.byteOffset, spec.bundle.byteLength)));
  compositor.setLowerThird(spec.lowerThird);
  compositor.setLiveBadge(spec.liveBadge);
  return compositor;
});
/** Each compositor's last picture in I420: a frame converts only what a pose can change, unless an overlay changed. */
const pictures = compositors.map((compositor) => ({ compositor, i420: Buffer.alloc(i420Bytes(compositor.width, compositor.height)), whole: true }));
port.postMessage({ type: 'ready' });

let answered = 0;
for (;;) {
  Atomics.wait(control, Control.REQUEST, answered);
  if (Atomics.load(control, Control.CLOSE) !== 0) break;
  const request = Atomics.load(control, Control.REQUEST);
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) apply(message.message as RenderThreadMessage);
  let bytes = 0;
  try {
    const picture = pictures[Atomics.load(control, Control.COMPOSITOR)]!;
    const { compositor, i420 } = picture;
    const rgba = compositor.renderFrame(readPose(pose));
    rgbaToI420(rgba, compositor.width, compositor.height, i420, picture.whole ? undefined : compositor.motionBounds);
    picture.whole = false;
    frames.set(i420, Atomics.load(control, Control.SLOT) * data.slotBytes);
    bytes = i420.length;
  } catch {
    // Answered with 0 bytes: the caller draws this frame itself from then on.
  }
  Atomics.store(control, Control.FRAME_BYTES, bytes);
  Atomics.store(control, Control.DONE, request);
  Atomics.notify(control, Control.DONE);
  answered = request;
  // One turn of the event loop between frames: node-api runs finalizers there, among them the
  // one that frees each read-back. Never reaching it, the thread's memory grew and GC ran every frame.
  await new Promise(setImmediate);
}

function apply(message: RenderThreadMessage): void {
  const picture = pictures[message.compositor];
  if (!picture) return;
  if (message.type === 'lowerThird') picture.compositor.setLowerThird(message.text);
  else picture.compositor.setLiveBadge(message.on);
  picture.whole = true;
}
