import { RETURNING_KEY, WhepClient } from '/client/common/whep.js';
import { joinContext, trackPlayback } from '/client/viewer/engagement.js';
import { HlsClient } from '/client/viewer/hlsClient.js';
import { overlayInLanguage, pageLanguage, translatePage, translator, viewerLanguageTag } from '/client/viewer/i18n.js';
import { OverlayLayer } from '/client/viewer/overlays.js';
import { StreamClock } from '/client/viewer/streamClock.js';

const showId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const video = document.getElementById('video');
const stateLabel = document.getElementById('state');
const unmuteButton = document.getElementById('unmute');

/** The viewer's language: the page speaks it (or English), and the join sends it so ads follow it. */
const languageTag = viewerLanguageTag();
const t = translator(languageTag);
translatePage(t, pageLanguage(languageTag));
const STATES = ['connecting', 'connected', 'reconnecting', 'ended', 'stopped'];
/** A closed poll's card shows the result this long, then leaves. */
const POLL_RESULT_MS = 8000;
/** WebRTC that has not connected by then (UDP blocked on the viewer's network) gives way to HLS. */
const WEBRTC_GIVE_UP_MS = 8000;

function showState(state, detail) {
  stateLabel.dataset.state = state;
  stateLabel.textContent = STATES.includes(state) ? t(`state.${state}`) : state;
  stateLabel.title = detail ?? '';
}

let webrtcConnected = false;
const whep = new WhepClient(`/whep/${encodeURIComponent(showId)}`, {
  returning: true,
  // ?relay=1: media only through the TURN servers the server advertises (diagnostics, tests).
  ...(new URLSearchParams(location.search).get('relay') === '1' && { iceTransportPolicy: 'relay' }),
  onState(state, detail) {
    if (state === 'connected') webrtcConnected = true;
    if (client === whep) showState(state, detail);
  },
  onStream(stream) {
    if (video.srcObject !== stream) video.srcObject = stream;
    play();
  },
});
/** The transport playing the show: WHEP, or HLS after a fallback. */
let client = whep;

async function play() {
  video.muted = false;
  try {
    await video.play();
    unmuteButton.hidden = true;
  } catch (error) {
    // A play() cut short by a newer one (each track's arrival calls play) is not a block.
    if (error.name !== 'NotAllowedError') return;
    // Autoplay with sound was blocked: play muted and offer a click to unmute.
    video.muted = true;
    unmuteButton.hidden = false;
    await video.play().catch(() => undefined);
  }
}

unmuteButton.addEventListener('click', () => {
  video.muted = false;
  unmuteButton.hidden = true;
  void video.play();
});

const chatForm = document.getElementById('chat');
const chatStatus = document.getElementById('chat-status');
const consentBox = document.getElementById('consent');
let socket = null;

const emit = (event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));
const clock = new StreamClock(video, () => client.pc?.getReceivers().find((r) => r.track?.kind === 'audio'));
const overlays = new OverlayLayer(document.getElementById('overlays'), video, {
  t,
  onImpression: (overlay) => emit('cta_impression', { decisionId: overlay.decisionId }),
  onClick: (overlay) => emit('cta_click', { decisionId: overlay.decisionId }),
  onDismiss: (overlay) => emit('cta_dismiss', { decisionId: overlay.decisionId }),
  onVote: async (poll, option) => {
    const reply = await emit('poll_vote', { pollId: poll.id, option });
    if (reply.ok || reply.error.code === 'ALREADY_VOTED') showPoll({ ...(reply.ok ? reply.result.poll : poll), votedOption: option });
  },
});

/** The node that serves the viewer's session (another node's after a 307 or a failover), else this page's. */
const sessionOrigin = () => (client.location ? new URL(client.location, location.href).origin : location.origin);
let socketOrigin = null;

/**
 * The socket joins once the WHEP session has given this viewer its signed token, on the node
 * that serves the session; when the session moves to another node, the socket follows it.
 */
function connectSocket() {
  if (!client.token) return;
  const node = sessionOrigin();
  if (socket && socketOrigin === node) return;
  socket?.close();
  socketOrigin = node;
  const own = window.io(`${node}/viewer`, { auth: { token: client.token } });
  socket = own;
  own.on('connect', () => {
    chatForm.hidden = false;
    void sendJoin();
  });
  own.on('connect_error', (error) => {
    chatStatus.textContent = error.message;
    // Refused while the show moves to another node: socket.io does not retry a refusal by itself.
    if (error.data?.code === 'SHOW_MOVING') setTimeout(() => socket === own && own.connect(), 1000);
  });
  // The connection to the node dropped (not a kick): if it served our video too, move now, not when ICE gives up.
  own.on('disconnect', (reason) => {
    if (['transport close', 'transport error', 'ping timeout'].includes(reason)) whep.nodeGone(node);
  });
  own.on('overlay', onOverlay);
  own.on('clock', (sync) => clock.setSync(sync));
  own.on('poll', (poll) => showPoll(poll));
  // The SFU lost our session (a media worker died): reconnect now, not when ICE gives up.
  own.on('session_closed', ({ sessionId }) => {
    if (client.location?.endsWith(`/${sessionId}`)) client.retry('the server closed the session');
  });
}
trackPlayback(video, (event, payload) => socket?.connected && socket.emit(event, payload));

const votes = {};
function showPoll(poll) {
  if (poll.votedOption !== undefined) votes[poll.id] = poll.votedOption;
  const card = { slot: 'shared', placement: 'poll_card', poll: { ...poll, votedOption: votes[poll.id] } };
  overlays.show(card);
  // A closed poll shows its result for a moment, then makes room (unless a newer poll replaced it).
  if (poll.state !== 'open') setTimeout(() => overlays.expire(card), POLL_RESULT_MS);
}

function onOverlay(message) {
  if (message.placement === 'none') return overlays.clear(message.slot);
  // A host's overlay for everyone carries its translations: this viewer reads its own language.
  const overlay = overlayInLanguage(message, languageTag);
  if (overlay.atStreamTimeMs === undefined) return display(overlay);
  // A word-timed CTA: shown when the frame of that word is on screen (and its audio heard).
  clock.at(overlay.atStreamTimeMs, () => display(overlay), overlay.fallbackDelayMs ?? 0);
}

function display(overlay) {
  if (overlay.slot === 'personal') overlays.clear('personal');
  overlays.show(overlay);
  if (overlay.ttlMs) setTimeout(() => overlays.expire(overlay), overlay.ttlMs);
}

async function sendJoin() {
  rememberConsent();
  const displayName = document.getElementById('chat-name').value.trim();
  const reply = await emit('join', { ...joinContext(consentBox.checked, languageTag), ...(displayName && { displayName }) });
  if (!reply.ok) return;
  const { stage, clock: sync, streamEpochMs, overlays: current, poll } = reply.result;
  if (stage) overlays.setSafeArea(stage.faceSafeArea, stage.frame, stage.nameStrap);
  if (sync) clock.setSync(sync);
  if (streamEpochMs !== undefined) clock.setStreamEpoch(streamEpochMs);
  for (const overlay of current ?? []) onOverlay(overlay);
  if (poll) showPoll(poll);
}

/** With consent the page remembers this viewer for later shows; without, it forgets it. */
function rememberConsent() {
  if (consentBox.checked && client.token) localStorage.setItem(RETURNING_KEY, client.token);
  if (!consentBox.checked) localStorage.removeItem(RETURNING_KEY);
}

consentBox.checked = localStorage.getItem(RETURNING_KEY) !== null;
consentBox.addEventListener('change', () => {
  rememberConsent();
  if (socket?.connected) void sendJoin();
});

chatForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('chat-text');
  await sendJoin();
  const reply = await emit('chat', { text: input.value });
  chatStatus.textContent = reply.ok ? t('chat.sent') : `${reply.error.code}: ${reply.error.message}`;
  if (reply.ok) input.value = '';
});

new MutationObserver(() => stateLabel.dataset.state === 'connected' && connectSocket()).observe(stateLabel, { attributes: true });

/** Plays over LL-HLS from now on: the WHEP attempt (if any) stops, the clock follows the HLS playhead. */
function useHls() {
  if (client !== whep) return;
  void whep.stop();
  video.srcObject = null;
  const hls = new HlsClient(showId, video, { tokenKey: whep.tokenKey, onState: showState, onReady: play });
  client = hls;
  clock.followProgramDateTime(() => hls.playingDateMs());
  void hls.start();
}

window.onair = { get client() { return client; }, video, clock, overlays, get socket() { return socket; } };
if (new URLSearchParams(location.search).get('transport') === 'hls' || !('RTCPeerConnection' in window)) {
  useHls();
} else {
  void whep.start();
  setTimeout(() => !webrtcConnected && whep.state !== 'ended' && useHls(), WEBRTC_GIVE_UP_MS);
}
