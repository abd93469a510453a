// What this viewer does, as /viewer socket events: join context, watch heartbeats (time
// actually playing and visible), pause/resume, mute/unmute and seek.
const HEARTBEAT_MS = 5000;

/** `languageTag`: the viewer's language (`?lang=` or the browser's), so the server picks ads in it. */
export function joinContext(consent, languageTag = navigator.language || 'en') {
  const params = new URLSearchParams(location.search);
  const utm = {};
  for (const key of ['source', 'medium', 'campaign']) {
    const value = params.get(`utm_${key}`);
    if (value && /^[A-Za-z0-9._-]{1,64}$/.test(value)) utm[key] = value;
  }
  const region = /-([A-Z]{2})\b/.exec(languageTag)?.[1] ?? /-([A-Z]{2})\b/.exec(navigator.language || '')?.[1];
  return {
    device: deviceClass(),
    language: languageTag,
    referrer: document.referrer.slice(0, 512),
    ...(Object.keys(utm).length && { utm }),
    ...(region && { region }),
    consent,
  };
}

function deviceClass() {
  if (/Tablet|iPad/i.test(navigator.userAgent)) return 'tablet';
  if (/Mobi|Android/i.test(navigator.userAgent)) return 'mobile';
  if (/SMART-TV|SmartTV|TV;/i.test(navigator.userAgent)) return 'tv';
  return 'desktop';
}

/** Reports playback to `send(event, payload)` until `stop()`. */
export function trackPlayback(video, send) {
  let playingSince = isWatching(video) ? performance.now() : null;
  const account = () => {
    const now = performance.now();
    const watched = playingSince === null ? 0 : now - playingSince;
    playingSince = isWatching(video) ? now : null;
    return Math.min(60000, Math.round(watched));
  };
  const timer = setInterval(() => send('heartbeat', { watchMs: account() }), HEARTBEAT_MS);
  const on = (target, event, fn) => target.addEventListener(event, fn);
  on(video, 'pause', () => (account(), send('pause', {})));
  on(video, 'play', () => (account(), send('resume', {})));
  on(document, 'visibilitychange', () => account());
  let muted = video.muted;
  on(video, 'volumechange', () => {
    if (video.muted === muted) return;
    muted = video.muted;
    send(muted ? 'mute' : 'unmute', {});
  });
  return { stop: () => clearInterval(timer) };
}

const isWatching = (video) => !video.paused && document.visibilityState === 'visible';
