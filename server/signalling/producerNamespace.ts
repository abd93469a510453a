import type { Namespace, Server } from 'socket.io';
import type { BatchQueues } from '../../pipeline/jobs/BatchQueues.js';
import { QUEUE_NAMES } from '../../pipeline/jobs/payloads.js';
import { requireToken } from './requireToken.js';
import { refuseUnknownEvents } from './socketActions.js';

const RELAYED = ['added', 'active', 'progress', 'completed', 'failed', 'waiting-children'] as const;

/**
 * The `/producer` socket.io namespace: live job events from BullMQ's QueueEvents. They are
 * best-effort (a missed event is possible), so the page re-reads a job's state from the API
 * when it finishes.
 */
export function registerProducerNamespace(io: Server, queues: BatchQueues, producerToken: string): Namespace {
  const producer = io.of('/producer');
  producer.use(requireToken(producerToken, 'producer'));
  let relaying = false;
  producer.on('connection', (socket) => {
    // The namespace only pushes; whatever a client sends is acknowledged as unknown.
    refuseUnknownEvents(socket, []);
    if (relaying) return;
    relaying = true;
    for (const queue of QUEUE_NAMES) {
      const events = queues.queueEvents(queue);
      for (const type of RELAYED) {
        // Every node relays the queues' events itself: `local`, or each would reach every node's producers once per node.
        events.on(type, (args: { jobId: string; data?: unknown; returnvalue?: unknown; failedReason?: string }) =>
          producer.local.emit('job', { queue, type, jobId: args.jobId, ...(type === 'progress' && { progress: args.data }), ...(args.failedReason && { failedReason: args.failedReason }) }),
        );
      }
    }
  });
  return producer;
}
