import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { Role } from '../../auth/tokens.js';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { replyWithError } from '../errorHandler.js';

/** The producers' board: every queue, with retry, clean and remove. */
export const BOARD_PATH = '/admin/queues';
/** The hosts' board: the same queues, read-only. Producers may open it too. */
export const READONLY_BOARD_PATH = '/admin/queues-view';
const COOKIE = 'onair_board';
/** A board session ends this long after it was opened, whatever happens in between. */
export const BOARD_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;

interface BoardSession {
  role: Extract<Role, 'host' | 'producer'>;
  expiresAtMs: number;
}

/**
 * Server-side board sessions: a random id in an HttpOnly cookie names a session held here,
 * with a role and an expiry. A session can be ended (DELETE), and a restart ends them all;
 * nothing in the cookie is derived from a token.
 */
export class BoardSessions {
  private readonly sessions = new Map<string, BoardSession>();

  constructor(private readonly ttlMs = BOARD_SESSION_TTL_MS) {}

  open(role: BoardSession['role'], now = Date.now()): { id: string; expiresAtMs: number } {
    for (const [id, session] of this.sessions) {
      if (session.expiresAtMs > now && this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
    const id = randomBytes(32).toString('base64url');
    const expiresAtMs = now + this.ttlMs;
    this.sessions.set(id, { role, expiresAtMs });
    return { id, expiresAtMs };
  }

  /** The live session's role, or undefined when the id is unknown or its session expired. */
  role(id: string, now = Date.now()): BoardSession['role'] | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAtMs <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    return session.role;
  }

  /** Ends every session of a role; returns how many. */
  endAll(role: BoardSession['role']): number {
    let ended = 0;
    for (const [id, session] of this.sessions) {
      if (session.role !== role) continue;
      this.sessions.delete(id);
      ended++;
    }
    return ended;
  }
}

export interface AdminOptions {
  /** PUBLIC_URL: cookies are `Secure` when it is https, or when the request came over TLS. */
  publicUrl: string;
  sessions?: BoardSessions;
}

/**
 * bull-board for producers at /admin/queues, and read-only for hosts at /admin/queues-view.
 * The board is a browser app that cannot send a bearer header, so a producer or host first
 * trades its token for a board session (`POST /api/producer/board-session`): an HttpOnly,
 * SameSite=Strict cookie (Secure behind TLS) scoped to /admin that names a server-side session.
 */
export async function registerAdminRoutes(
  app: FastifyInstance,
  queues: Queue[],
  auth: Authenticator,
  options: AdminOptions,
): Promise<BoardSessions> {
  const sessions = options.sessions ?? new BoardSessions();
  const httpsPublic = options.publicUrl.startsWith('https:');

  app.post(
    '/api/producer/board-session',
    { onRequest: auth.only('producer', 'host') },
    async (request, reply) => {
      const role = auth.principal(request).role as BoardSession['role'];
      const { id } = sessions.open(role);
      const secure = httpsPublic || request.protocol === 'https' ? '; Secure' : '';
      const maxAge = Math.floor(BOARD_SESSION_TTL_MS / 1000);
      return reply
        .header(
          'set-cookie',
          `${COOKIE}=${id}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
        )
        .header('cache-control', 'no-store')
        .send({
          board: role === 'producer' ? BOARD_PATH : READONLY_BOARD_PATH,
          readOnly: role !== 'producer',
          expiresInSeconds: maxAge,
        });
    },
  );

  // Ends every board session of the caller's role (e.g. after a shared screen showed one).
  app.delete(
    '/api/producer/board-session',
    { onRequest: auth.only('producer', 'host') },
    async (request) => {
      return { ended: sessions.endAll(auth.principal(request).role as BoardSession['role']) };
    },
  );

  await board(app, BOARD_PATH, queues, false, ['producer'], auth, sessions);
  await board(app, READONLY_BOARD_PATH, queues, true, ['producer', 'host'], auth, sessions);
  return sessions;
}

async function board(
  app: FastifyInstance,
  path: string,
  queues: Queue[],
  readOnlyMode: boolean,
  roles: BoardSession['role'][],
  auth: Authenticator,
  sessions: BoardSessions,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(path);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode })),
    serverAdapter,
  });
  await app.register(
    async (scope) => {
      // bull-board's own error handler would answer a thrown 401 as its 500, so the hook replies itself.
      scope.addHook('onRequest', async (request, reply) => {
        const role = sessions.role(boardCookie(request) ?? '');
        if (role && roles.includes(role)) return;
        try {
          auth.require(request, ...roles);
        } catch (error) {
          return replyWithError(request, reply, error as Error);
        }
      });
      // Likewise a body that is not JSON, or not a JSON object: parsed and refused here, before bull-board's handler runs.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        try {
          done(null, body === '' ? undefined : JSON.parse(body as string));
        } catch {
          done(null, NOT_JSON);
        }
      });
      scope.addHook('preHandler', async (request, reply) => {
        const { body } = request;
        if (body === NOT_JSON) return replyWithError(request, reply, new CodedError('INVALID_JSON', 'the body is not valid JSON'));
        // Its handlers read fields of an object: valid JSON of another shape (a string, an array) throws in them.
        if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
          return replyWithError(request, reply, new CodedError('INVALID_REQUEST', 'the board takes a JSON object as its body'));
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: path },
  );
}

/** A JSON body that did not parse, for the board's own hook to refuse. */
const NOT_JSON = Symbol('not JSON');

function boardCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value) return value;
  }
  return undefined;
}
