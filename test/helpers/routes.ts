import type { FastifyInstance } from 'fastify';

export interface Route {
  method: string;
  /** As registered: `/api/shows/:id/polls`, `/client/*`. */
  url: string;
}

/**
 * Every route of a running app, read from Fastify's own route tree (`printRoutes`), so a test
 * that walks them covers routes added later without a list to keep. HEAD twins are left out.
 */
export function listRoutes(app: FastifyInstance): Route[] {
  const parents: string[] = [];
  const routes: Route[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = url;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push({ method, url });
  }
  return routes;
}
