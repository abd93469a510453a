// A WHEP client for the browser: recvonly audio+video, non-trickle, reconnects with backoff.
// The SFU learns our address from our connectivity checks (peer-reflexive), so a partial
// candidate list costs nothing; waiting for complete gathering can take a second.
const GATHER_TIMEOUT_MS = 400;
const DISCONNECTED_GRACE_MS = 3000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

/** A viewer who consented keeps its token across shows (see the viewer page), to stay the same anonymous viewer. */
export const RETURNING_KEY = 'onair.viewer.returning';
const returningToken = () => localStorage.getItem(RETURNING_KEY);

export class WhepClient {
  /**
   * @param {string} endpoint e.g. /whep/<showId>
   * @param {{ onState?: (state: string, detail?: string) => void, onStream?: (stream: MediaStream) => void, tokenKey?: string, returning?: boolean, bearer?: string, iceTransportPolicy?: 'all' | 'relay' }} options (returning: send a consenting viewer's earlier token, to keep its anonymous id; bearer: a host's token, so its preview may use the host reserve; iceTransportPolicy 'relay': only through the advertised TURN servers)
   */
  constructor(endpoint, options = {}) {
    this.endpoint = endpoint;
    /** Other cluster nodes' WHEP endpoints for this show (`X-OnAir-Alternates`): where to go when this node is gone. */
    this.alternates = [];
    this.options = options;
    this.pc = null;
    this.location = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
    this.peerGeneration = 0;
    this.tokenKey = options.tokenKey ?? `onair.viewer.${endpoint}`;
    window.addEventListener('pagehide', () => this.leave(true));
  }

  get token() {
    return this.options.bearer ?? sessionStorage.getItem(this.tokenKey);
  }

  async start() {
    this.stopped = false;
    await this.connect();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.leave(false);
    this.setState('stopped');
  }

  setState(state, detail) {
    this.state = state;
    this.options.onState?.(state, detail);
  }

  async connect() {
    clearTimeout(this.timer);
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    // Non-trickle: the ICE servers must be set before gathering for the offer (fresh TURN credentials each time).
    const attempt = this.peerGeneration;
    const { iceServers, extensionIds } = await fetchEndpointHints(this.endpoint);
    // Stopped, or given up (retry) while asking: a later attempt makes the peer.
    if (this.stopped || attempt !== this.peerGeneration) return;
    const policy = this.options.iceTransportPolicy;
    const pc = new RTCPeerConnection({ iceServers, ...(policy && { iceTransportPolicy: policy }) });
    this.pc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.ontrack = (event) => {
      stream.addTrack(event.track);
      this.options.onStream?.(stream);
    };
    pc.onconnectionstatechange = () => this.onConnectionState(pc);
    try {
      const offer = await pc.createOffer();
      await pc.setLocalDescription({ type: 'offer', sdp: withExtensionIds(offer.sdp, extensionIds) });
      await gatheringComplete(pc);
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/sdp',
          ...(this.token && { authorization: `Bearer ${this.token}` }),
          ...(this.options.returning && !this.token && returningToken() && { 'x-onair-returning': returningToken() }),
        },
        body: pc.localDescription.sdp,
      });
      if (!response.ok) return this.onRejected(response);
      const minted = response.headers.get('x-onair-viewer-token');
      if (minted) sessionStorage.setItem(this.tokenKey, minted);
      // After a 307 to another node the session lives there: resolve its Location against where we ended up.
      const location = response.headers.get('location');
      this.location = location && new URL(location, response.url).href;
      const alternates = response.headers.get('x-onair-alternates');
      if (alternates !== null) this.alternates = alternates.split(',').map((url) => url.trim()).filter(Boolean);
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    } catch (error) {
      this.failOver();
      this.retry(`network: ${error.message}`);
    }
  }

  /** The node that served us is gone: the next attempt goes to another node of the cluster, if we know one. */
  failOver() {
    const next = this.alternates.shift();
    if (!next) return;
    this.alternates.push(this.endpoint);
    this.endpoint = next;
  }

  /** A page learned that the node at `origin` is gone (its socket closed): leave it now instead of waiting for ICE. */
  nodeGone(origin) {
    if (this.stopped || !this.location || new URL(this.location).origin !== origin) return;
    this.location = null;
    this.failOver();
    this.retry('server gone');
  }

  async onRejected(response) {
    const body = await response.json().catch(() => ({}));
    const code = body?.error?.code ?? `HTTP_${response.status}`;
    if (code === 'AUTH_INVALID' || code === 'TOKEN_WRONG_SHOW') sessionStorage.removeItem(this.tokenKey);
    if (code === 'SHOW_NOT_FOUND' || code === 'SHOW_ENDED') {
      this.stopped = true;
      this.closePeer();
      return this.setState('ended', code);
    }
    this.retry(code);
  }

  onConnectionState(pc) {
    if (pc !== this.pc || this.stopped) return;
    const state = pc.connectionState;
    if (state === 'connected') {
      this.attempt = 0;
      clearTimeout(this.timer);
      this.setState('connected');
    } else if (state === 'failed') {
      this.failOver();
      this.retry('connection failed');
    } else if (state === 'disconnected') {
      this.setState('reconnecting', 'connection interrupted');
      clearTimeout(this.timer);
      this.timer = setTimeout(() => pc.connectionState !== 'connected' && this.retry('connection lost'), DISCONNECTED_GRACE_MS);
    }
  }

  retry(reason) {
    if (this.stopped) return;
    void this.leave(false);
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.setState('reconnecting', reason);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  closePeer() {
    this.peerGeneration++;
    if (this.pc) this.pc.close();
    this.pc = null;
  }

  async leave(keepalive) {
    const location = this.location;
    this.location = null;
    this.closePeer();
    if (!location) return;
    await fetch(location, {
      method: 'DELETE',
      keepalive,
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    }).catch(() => undefined);
  }
}

/**
 * What the WHEP endpoint says on OPTIONS: its STUN/TURN servers (`Link: <url>; rel="ice-server"; …`)
 * and, where its SFU sends with fixed header extension ids (`X-OnAir-Extmap: 1 urn:…, 4 http://…`),
 * those ids. Nothing if it cannot say.
 */
async function fetchEndpointHints(endpoint) {
  try {
    const response = await fetch(endpoint, { method: 'OPTIONS' });
    return { iceServers: parseIceServerLinks(response.headers.get('link')), extensionIds: parseExtmapHeader(response.headers.get('x-onair-extmap')) };
  } catch {
    return { iceServers: [], extensionIds: new Map() };
  }
}

/** `1 urn:ietf:params:rtp-hdrext:sdes:mid, 4 http://…` as a map from URI to id. */
export function parseExtmapHeader(header) {
  const ids = new Map();
  for (const entry of header?.split(',') ?? []) {
    const match = /^\s*(\d{1,2})\s+(\S+)\s*$/.exec(entry);
    if (match && Number(match[1]) >= 1 && Number(match[1]) <= 14) ids.set(match[2], Number(match[1]));
  }
  return ids;
}

/**
 * The offer with the SFU's header extension ids: an answer must keep the offer's ids, and an
 * SFU that sends with fixed ones (mediasoup) can only send the extensions whose ids match,
 * transport-wide congestion control among them, which its simulcast layer choice runs on.
 * Extensions it does not know move to ids it does not use; one URI keeps one id across the
 * bundle, as the browser requires.
 */
export function withExtensionIds(sdp, wanted) {
  if (wanted.size === 0) return sdp;
  const taken = new Set(wanted.values());
  const ids = new Map();
  let free = 1;
  for (const [, uri] of sdp.matchAll(/^a=extmap:\d+(?:\/\w+)? (\S+)/gm)) {
    if (ids.has(uri)) continue;
    if (wanted.has(uri)) {
      ids.set(uri, wanted.get(uri));
      continue;
    }
    while (taken.has(free)) free++;
    // Past 14 a one-byte header cannot carry it: leave the offer as the browser made it.
    if (free > 14) return sdp;
    taken.add(free);
    ids.set(uri, free);
  }
  return sdp.replace(/^a=extmap:\d+((?:\/\w+)?) (\S+)/gm, (_, direction, uri) => `a=extmap:${ids.get(uri)}${direction} ${uri}`);
}

/** `<turn:host?transport=udp>; rel="ice-server"; username="…"; credential="…"` values, comma-joined, as RTCIceServer objects. */
export function parseIceServerLinks(header) {
  const servers = [];
  for (const link of header?.match(/(?:<[^>]*>|"[^"]*"|[^,])+/g) ?? []) {
    const url = /^\s*<([^>]*)>/.exec(link)?.[1];
    const params = {};
    for (const [, key, quoted, bare] of link.matchAll(/;\s*([\w-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/g)) params[key.toLowerCase()] = quoted ?? bare ?? '';
    if (!url || params.rel !== 'ice-server' || !/^(stuns?|turns?):/.test(url)) continue;
    servers.push({ urls: url, ...(params.username !== undefined && { username: params.username, credential: params.credential ?? '' }) });
  }
  return servers;
}

function gatheringComplete(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timeout = setTimeout(resolve, GATHER_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timeout);
      resolve();
    });
  });
}
