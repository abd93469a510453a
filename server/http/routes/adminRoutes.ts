import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { Authenticator } from '../../auth/Authenticator.js';
import { safeEqual } from '../../auth/tokens.js';
import { replyWithError } from '../errorHandler.js';

export const BOARD_PATH = '/admin/queues';
const COOKIE = 'onair_board';

/**
 * bull-board at /admin/queues, for producers only. The board is a browser app that cannot
 * send a bearer header, so a producer first trades the token for an HttpOnly cookie scoped
 * to the board's path (`POST /api/producer/board-session`).
 */
export async function registerAdminRoutes(app: FastifyInstance, queues: Queue[], auth: Authenticator, producerToken: string): Promise<void> {
  const cookieValue = createHash('sha256').update(`bull-board:${producerToken}`).digest('base64url');

  app.post('/api/producer/board-session', { onRequest: auth.only('producer') }, async (_request, reply) => {
    return reply
      .header('set-cookie', `${COOKIE}=${cookieValue}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=43200`)
      .send({ board: BOARD_PATH });
  });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(
    async (board) => {
      // bull-board's own error handler would answer a thrown 401 as its 500, so the hook replies itself.
      board.addHook('onRequest', async (request, reply) => {
        if (hasBoardCookie(request, cookieValue)) return;
        try {
          auth.require(request, 'producer');
        } catch (error) {
          return replyWithError(request, reply, error as Error);
        }
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}

function hasBoardCookie(request: FastifyRequest, expected: string): boolean {
  const header = request.headers.cookie;
  if (!header) return false;
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value !== undefined && safeEqual(value, expected)) return true;
  }
  return false;
}
