// Plays the show's Low-Latency HLS output with hls.js, for viewers WebRTC cannot reach (UDP
// blocked, no WebRTC in the browser) or who ask for it with ?transport=hls. It reports the same
// states as the WHEP client, and gets a viewer token by anonymous join (or keeps the one an
// earlier WHEP attempt got), so overlays and polls work over the socket as they do with WebRTC.
const HLS_MODULE = '/vendor/hls.min.mjs';
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
/** The server says the show is over: no retry. */
const ENDED_STATUSES = [404, 409];

export class HlsClient {
  /**
   * @param {string} showId
   * @param {HTMLVideoElement} video
   * @param {{ onState?: (state: string, detail?: string) => void, onReady?: () => void, tokenKey: string }} options (onReady: media is attached and can be played)
   */
  constructor(showId, video, options) {
    this.showId = showId;
    this.video = video;
    this.options = options;
    this.url = `/hls/${encodeURIComponent(showId)}/index.m3u8`;
    this.hls = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
    video.addEventListener('playing', () => {
      if (this.stopped || this.state === 'connected') return;
      this.attempt = 0;
      this.setState('connected', 'HLS');
    });
  }

  get token() {
    return sessionStorage.getItem(this.options.tokenKey);
  }

  setState(state, detail) {
    this.state = state;
    this.options.onState?.(state, detail);
  }

  async start() {
    if (this.attempt === 0) this.setState('connecting', 'HLS');
    try {
      await this.join();
      const { default: Hls } = await import(HLS_MODULE);
      if (this.stopped) return;
      if (Hls.isSupported()) return this.attach(Hls);
      if (!this.video.canPlayType('application/vnd.apple.mpegurl')) return this.stop('this browser plays neither WebRTC nor HLS');
      this.video.src = this.url;
      this.options.onReady?.();
    } catch (error) {
      this.retry(`HLS: ${error.message}`);
    }
  }

  stop(reason) {
    this.stopped = true;
    clearTimeout(this.timer);
    this.hls?.destroy();
    this.hls = null;
    this.setState('stopped', reason);
  }

  /** The program date time of the playhead, ms since the epoch; null before playback. */
  playingDateMs() {
    if (this.hls) return this.hls.playingDate?.getTime() ?? null;
    // Native HLS (Safari without MSE): the playlist's first program date time is the start date.
    const start = this.video.getStartDate?.().getTime();
    return Number.isFinite(start) ? start + this.video.currentTime * 1000 : null;
  }

  /** The socket needs a viewer token; WHEP mints one, without WHEP an anonymous join does. */
  async join() {
    if (this.token) return;
    const response = await fetch(`/api/shows/${encodeURIComponent(this.showId)}/viewers`, { method: 'POST' });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return sessionStorage.setItem(this.options.tokenKey, body.token);
    if (ENDED_STATUSES.includes(response.status)) this.end(body?.error?.code);
    throw new Error(body?.error?.code ?? `HTTP_${response.status}`);
  }

  attach(Hls) {
    // lowLatencyMode: parts, blocking reloads, and PART-HOLD-BACK as the target latency. The
    // playlists are fMP4, so there is no transmuxing for a worker to take off the main thread,
    // and the page's CSP allows no blob: workers.
    const hls = new Hls({ lowLatencyMode: true, enableWorker: false, backBufferLength: 10 });
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => this.options.onReady?.());
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal || hls !== this.hls) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) return hls.recoverMediaError();
      if (ENDED_STATUSES.includes(data.response?.code)) return this.end(`HTTP_${data.response.code}`);
      this.retry(`HLS: ${data.details}`);
    });
    hls.loadSource(this.url);
    hls.attachMedia(this.video);
  }

  end(code) {
    this.stopped = true;
    this.hls?.destroy();
    this.hls = null;
    this.setState('ended', code);
  }

  retry(reason) {
    if (this.stopped) return;
    this.hls?.destroy();
    this.hls = null;
    const delay = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
    this.setState('reconnecting', reason);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), delay);
  }
}
