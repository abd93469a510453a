import { createHmac, randomBytes } from 'node:crypto';

/**
 * STUN and TURN servers that WHEP clients may use (STUN_URLS, TURN_URLS, TURN_SECRET,
 * TURN_CREDENTIAL_TTL_S). OnAir's SFUs need neither: they answer on public addresses
 * (docs/deploy.md). A viewer behind a firewall that blocks UDP, or allows only ports 80/443,
 * reaches the SFU through a TURN relay.
 */
export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  /** The TURN server's shared secret (coturn's `static-auth-secret`); set exactly when turnUrls are. */
  turnSecret: string | undefined;
  /** How long a TURN credential is valid, from when it is handed out. */
  credentialTtlS: number;
}

/** As WebRTC's RTCIceServer takes it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/**
 * A time-limited TURN credential, the TURN REST API scheme that coturn implements with
 * `use-auth-secret`: username `<unix expiry>:<id>`, credential base64(HMAC-SHA1(secret, username)).
 * The TURN server recomputes the credential from the username and refuses an expired one.
 */
export function turnCredential(secret: string, expiresAtS: number, id: string): { username: string; credential: string } {
  const username = `${Math.floor(expiresAtS)}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export class IceServers {
  constructor(
    private readonly settings: IceSettings,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.settings.stunUrls.length > 0 || this.settings.turnUrls.length > 0;
  }

  /** The servers for one client: TURN with a fresh credential of its own. */
  list(): IceServer[] {
    const servers: IceServer[] = [];
    if (this.settings.stunUrls.length) servers.push({ urls: [...this.settings.stunUrls] });
    if (this.settings.turnUrls.length && this.settings.turnSecret) {
      const expiresAtS = Math.floor(this.nowMs() / 1000) + this.settings.credentialTtlS;
      // A random id: the TURN server's logs and quotas tell sessions apart without naming a viewer.
      servers.push({ urls: [...this.settings.turnUrls], ...turnCredential(this.settings.turnSecret, expiresAtS, randomBytes(6).toString('hex')) });
    }
    return servers;
  }

  /**
   * `Link` header values (RFC 8288) as WHIP (RFC 9725, section 4.6) and WHEP advertise ICE
   * servers: one per URL, `rel="ice-server"`, with `username`, `credential` and
   * `credential-type="password"` for TURN. Empty when none is configured.
   */
  linkHeaders(): string[] {
    return this.list().flatMap((server) =>
      server.urls.map((url) =>
        server.username === undefined
          ? `<${url}>; rel="ice-server"`
          : `<${url}>; rel="ice-server"; username="${server.username}"; credential="${server.credential}"; credential-type="password"`,
      ),
    );
  }
}

/** Reads `Link: <url>; rel="ice-server"; …` values (one header, or several joined by commas) back into ICE servers. */
export function parseIceServerLinks(header: string | null | undefined): IceServer[] {
  if (!header) return [];
  const servers: IceServer[] = [];
  // Values are split on commas outside <…> and "…"; ICE server URLs and our credentials hold none.
  for (const link of header.match(/(?:<[^>]*>|"[^"]*"|[^,])+/g) ?? []) {
    const url = /^\s*<([^>]*)>/.exec(link)?.[1];
    const params: Record<string, string> = {};
    for (const [, key, quoted, bare] of link.matchAll(/;\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/g)) params[key!.toLowerCase()] = quoted ?? bare ?? '';
    if (!url || params.rel !== 'ice-server') continue;
    servers.push({ urls: [url], ...(params.username !== undefined && { username: params.username }), ...(params.credential !== undefined && { credential: params.credential }) });
  }
  return servers;
}
