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
   * @param {{ onState?: (state: string, detail?: string) => void, onStream?: (stream: MediaStream) => void, tokenKey?: string, returning?: boolean, bearer?: string }} options (returning: send a consenting viewer's earlier token, to keep its anonymous id; bearer: a host's token, so its preview may use the host reserve)
   */
  constructor(endpoint, options = {}) {
    this.endpoint = endpoint;
    this.options = options;
    this.pc = null;
    this.location = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
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
    const pc = new RTCPeerConnection();
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
      await pc.setLocalDescription(await pc.createOffer());
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
      this.location = response.headers.get('location');
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    } catch (error) {
      this.retry(`network: ${error.message}`);
    }
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
