import type { Socket } from 'socket.io';
import { safeEqual } from '../auth/tokens.js';

/** socket.io middleware: the handshake's `auth.token` must be `expected` (the role's token). */
export function requireToken(expected: string, role: string) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token === 'string' && safeEqual(token, expected)) return next();
    next(Object.assign(new Error(`AUTH_INVALID: a ${role} token is required`), { data: { code: 'AUTH_INVALID' } }));
  };
}
