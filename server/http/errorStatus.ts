/**
 * The one catalogue of error codes: each code's HTTP status, what it means, and who can cause
 * it. Domain code throws `CodedError` (or a subclass) with a code from here and never an HTTP
 * type; the HTTP edge maps the code to its status here, sockets send the code as it is.
 * `docs/errors.md` is generated from this file (`npx tsx scripts/errorsDoc.ts`), and
 * `test/unit/errorStatus.test.ts` fails when a thrown code is missing or the docs disagree.
 * A code missing from this table is a bug and leaves as 500, which the error handler logs.
 */
export interface ErrorCode {
  status: number;
  /** One line for docs/errors.md: what went wrong, from the caller's side. */
  meaning: string;
  /**
   * `client`: a client's request or socket event alone can cause it, and
   * `test/integration/errorCodes.test.ts` does. `server`: only the server's own state, files,
   * configuration or faults cause it (or it never answers a request); that test skips it.
   */
  source: 'client' | 'server';
}

const client = (status: number, meaning: string): ErrorCode => ({ status, meaning, source: 'client' });
const server = (status: number, meaning: string): ErrorCode => ({ status, meaning, source: 'server' });

/** Sections, in the order docs/errors.md lists them. */
export const ERROR_SECTIONS: Readonly<Record<string, Readonly<Record<string, ErrorCode>>>> = {
  'Requests and authentication': {
    INVALID_REQUEST: client(400, 'The body, query, path or socket payload does not have the shape the route or event takes.'),
    INVALID_JSON: client(400, 'The body is not valid JSON.'),
    BODY_TOO_DEEP: client(400, 'The JSON body or socket payload nests objects and arrays more than 16 deep.'),
    BODY_TOO_LARGE: client(413, 'The body is larger than the route takes.'),
    UNSUPPORTED_MEDIA_TYPE: client(415, 'The body is not of a content type the route takes (JSON, or SDP for WHEP).'),
    ROUTE_NOT_FOUND: client(404, 'No route has this method and path.'),
    AUTH_REQUIRED: client(401, 'The route needs a bearer token and none was sent.'),
    AUTH_INVALID: client(401, 'The Authorization header or socket token is malformed, forged or expired.'),
    FORBIDDEN_ROLE: client(403, "The token's role (host, producer, viewer) may not do this."),
    RATE_LIMITED: client(429, 'Too many viewer joins, WHEP offers or WebRTC sessions from this address, or too many socket events from this viewer; retry after the retry-after seconds.'),
    ORIGIN_FORBIDDEN: client(403, 'A web page of an origin not in ALLOWED_ORIGINS (or WHEP_CORS_ORIGINS, for WHEP) sent the request or opened the socket.'),
    CONNECTION_LIMIT: client(429, 'The socket handshake was refused: the server has MAX_SOCKETS socket clients, or this address MAX_SOCKETS_PER_IP.'),
    NAMESPACE_NOT_FOUND: client(404, 'The socket asked for the default namespace `/`, which is closed; use /viewer, /host or /producer.'),
    UNKNOWN_EVENT: client(400, 'The socket namespace has no event of this name.'),
    INTERNAL: server(500, 'An unexpected fault on the server; the details are only in its log.'),
    WORKER_FAILED: server(503, 'A worker thread failed a request without a code of its own; a retry may succeed.'),
  },
  Shows: {
    SHOW_LIMIT: client(429, 'The server already runs as many shows as MAX_SHOWS allows.'),
    SHOW_NOT_FOUND: client(404, 'No live show has this id.'),
    SHOW_ENDED: client(409, 'The show has ended.'),
    SHOW_HAS_NO_PRESENTER: client(409, 'The show streams the test card: it takes no cues and burns in no overlays.'),
    SHOW_HAS_NO_BRAIN: server(409, 'The show takes only scripted cues (every show this server starts has a brain).'),
    SINK_NOT_FOUND: server(404, 'The show has no such output: this server has HLS off, or streams VP8.'),
    SINK_UNSUPPORTED: server(409, 'The output needs H.264 and this server streams VP8.'),
    SINK_EXISTS: server(409, 'The show already has an output of this kind.'),
    INVALID_TOPIC: client(400, 'A topic is non-empty plain text, without control, format or bidirectional-override characters.'),
  },
  Cues: {
    CUE_NOT_FOUND: client(404, 'The show has no cue with this id.'),
    CUE_QUEUE_FULL: client(429, 'As many cues as a show queues are waiting; retry once one is spoken.'),
    CUE_NOT_AWAITING_APPROVAL: client(409, 'The cue is not waiting for the host to approve or reject it.'),
    INVALID_OFFER: client(400, "A cue's offer must be {word, overlay}: one word and an overlay template id."),
    OFFER_WORD_NOT_IN_TEXT: client(400, "The offer's word is not a word of the cue's text."),
    UNKNOWN_OVERLAY: client(400, "The offer names no template of the server's overlay catalog."),
    CHAT_LINE_NOT_FOUND: client(404, 'The show has no chat line with this id (lines are kept for a while only).'),
    TTS_ABORTED: server(409, 'Speech synthesis was cancelled by an interrupt; the cue ends there.'),
    SCRIPT_ABORTED: server(409, 'Script generation was cancelled by an interrupt; the cue ends there.'),
  },
  Speech: {
    TEXT_INVALID: client(400, 'Text to speak must be a string.'),
    TEXT_CONTROL_CHARS: client(400, 'Text to speak contains control characters.'),
    TEXT_EMPTY: client(400, 'Text to speak is empty.'),
    TEXT_TOO_LONG: client(400, 'Text to speak is longer than one cue may be.'),
    PERSONA_UNKNOWN: client(400, 'No persona has this id.'),
    VOICE_UNKNOWN: server(500, 'A persona names a voice the speech engine does not have.'),
    TTS_UNAVAILABLE: server(503, 'The speech engine could not start.'),
    TTS_FAILED: server(500, 'The speech engine failed on a line.'),
    UTTERANCE_CORRUPT: server(500, 'A cached utterance file is corrupt; it is synthesized again.'),
  },
  'Polls and viewers': {
    INVALID_POLL: client(400, 'A poll has 2-6 distinct, non-empty options and a duration within the allowed range.'),
    POLL_NOT_FOUND: client(404, 'The show has no poll with this id.'),
    POLL_ALREADY_OPEN: client(409, 'Another poll of the show is still open.'),
    POLL_CLOSED: client(409, 'The poll is closed.'),
    ALREADY_VOTED: client(409, 'This viewer has already voted in this poll.'),
    POLL_UNAVAILABLE: server(503, 'Votes cannot be counted right now (Redis); try again.'),
    INVALID_EVENT: client(400, "A viewer event's payload has a bad shape, type or range; the message names the field."),
    NOT_JOINED: client(409, 'The viewer must send "join" before other events.'),
    NOT_CONNECTED: client(409, 'The viewer has no open socket for the show.'),
    DECISION_NOT_FOUND: client(404, 'This viewer, or this show for this campaign, was shown no CTA with this decision id.'),
    POSTBACK_INVALID: client(401, "A conversion postback's campaign has no secret, its timestamp is outside the replay window, or its HMAC signature does not match."),
    FORBIDDEN_VIEWER: client(403, 'A viewer may delete only its own data.'),
    IMAGE_NOT_FOUND: client(404, 'The overlay catalog has no image of this name.'),
    INVALID_VIEWER_DATA: server(500, 'The server passed a malformed viewer id or session update to the viewer store.'),
    VIEWER_STORE_UNAVAILABLE: server(503, 'The viewer store (Redis) is unavailable; nothing was changed, try again.'),
  },
  'Viewer chat': {
    CHAT_INVALID: client(400, 'A chat line must be a string without control or binary characters.'),
    CHAT_EMPTY: client(400, 'The chat line is empty.'),
    CHAT_TOO_LONG: client(400, 'A chat line has at most 300 characters.'),
    CHAT_RATE_LIMITED: client(429, 'This viewer sent too many chat lines; slow down.'),
  },
  'Show knowledge': {
    KNOWLEDGE_INVALID: client(400, 'The body must be {facts: [{text, language?}]}: each text a non-empty string, each language en or es; the message names the fact.'),
    KNOWLEDGE_TOO_LARGE: client(400, 'A show knows at most 200 facts of at most 300 characters each.'),
    KNOWLEDGE_TEXT_INVALID: client(400, 'A fact contains control, format or bidirectional-override characters.'),
  },
  'Shared overlays and the overlay catalog': {
    OVERLAY_UNKNOWN_FIELD: client(400, 'An overlay has a field it does not know (the message names it).'),
    OVERLAY_MISSING_FIELD: client(400, 'An overlay lacks a required field (the message names it).'),
    OVERLAY_BAD_TEXT: client(400, 'An overlay text field must be a non-empty string.'),
    OVERLAY_CONTROL_CHARACTERS: client(400, 'An overlay text field contains control or bidirectional-override characters.'),
    OVERLAY_BAD_LINK: client(400, 'An overlay link must be an https: URL without credentials.'),
    OVERLAY_BAD_COLOUR: client(400, 'An overlay colour must be #rrggbb.'),
    OVERLAY_BAD_LANGUAGE: client(400, "An overlay language is not a two- or three-letter ISO 639 code, or a translation repeats the overlay's own language."),
    // The route's schema already refuses these shapes; only the catalog file can reach them.
    OVERLAY_NOT_OBJECT: server(500, 'An overlay template, or a field that must be an object, is not one.'),
    OVERLAY_TEXT_TOO_LONG: server(500, 'An overlay text field is longer than its placement allows.'),
    OVERLAY_BAD_PLACEMENT: server(500, 'An overlay placement is not lower_third_cta, side_card or badge.'),
    OVERLAY_BAD_BOOLEAN: server(500, 'A template field must be true or false.'),
    OVERLAY_BAD_NUMBER: server(500, 'A template count is not a whole number in range.'),
    OVERLAY_BAD_ID: server(500, 'A template id is not a lowercase slug.'),
    OVERLAY_BAD_IMAGE: server(500, 'A template image is not a png, jpg or webp file name.'),
    OVERLAY_IMAGE_MISSING: server(500, "A template's image is not in the catalog's images folder."),
    OVERLAY_BAD_REGION: server(500, 'A template region is not an ISO 3166-1 alpha-2 code.'),
    OVERLAY_BAD_TOPIC: server(500, 'A template topic is not a lowercase slug.'),
    OVERLAY_GUARANTEE_NEEDS_SPONSOR: server(500, 'A template guarantees impressions without naming a sponsor.'),
    OVERLAY_GUARANTEE_EXCEEDS_INVENTORY: server(500, 'A template guarantees more impressions than its inventory.'),
    OVERLAY_NOT_ARRAY: server(500, 'The overlay catalog file is not a list of templates.'),
    OVERLAY_DUPLICATE_ID: server(500, 'Two templates of the overlay catalog file share an id.'),
    OVERLAY_BAD_JSON: server(500, 'The overlay catalog file is not JSON.'),
    OVERLAY_CATALOG_UNREADABLE: server(500, 'The overlay catalog file cannot be read.'),
  },
  'Experiments and the decision audit': {
    ROLLOUT_PAUSED: client(409, 'The rollout is paused; resume it before advancing.'),
    ROLLOUT_COMPLETE: client(409, 'The rollout is at its last stage; it cannot advance.'),
    ROLLOUT_NOT_PAUSED: client(409, 'The rollout is not paused, so there is nothing to resume.'),
    ROLLOUT_STORE_UNAVAILABLE: server(503, 'The rollout state cannot be saved or loaded (Redis); nothing changed, try again.'),
    INVALID_AUDIT_QUERY: client(400, 'An audit query needs a limit of 1-500, a stream entry id as before, and a viewer id.'),
    AUDIT_UNAVAILABLE: server(503, 'The audit log (Redis) did not answer; try again.'),
    INVALID_AUDIT_ROW: server(500, 'The server tried to log a malformed decision or outcome.'),
    INVALID_EXPERIMENT_CONFIG: server(500, 'The experiment configuration is invalid (the message names the field).'),
    INVALID_ARM_EVENT: server(500, 'The server recorded an arm metric with a bad show id, arm, template or amount.'),
    INVALID_COST_MODEL: server(500, 'The cost model configuration is invalid.'),
    RANKER_MODEL_UNREADABLE: server(500, 'The ranker model files cannot be read.'),
    RANKER_FEATURES_MISMATCH: server(500, "The ranker model's features do not match this server's feature layout."),
    RANKER_MODEL_CHECKSUM: server(500, 'The ranker model file does not match its manifest checksum.'),
    RANKER_MODEL_OUTPUT: server(500, 'The ranker model produced no scores.'),
    RANKER_LOG_BAD_JSON: server(500, 'A logged-decisions file for training has a line that is not JSON.'),
    RANKER_LOG_BAD_ROW: server(500, 'A logged-decisions file for training has a malformed row.'),
    RANKER_LOG_EMPTY: server(500, 'A logged-decisions file for training has no decisions.'),
    RANKER_LOG_UNKNOWN_TEMPLATE: server(500, 'Logged decisions name a template that is not in the catalog.'),
    RANKER_LOG_UNREADABLE: server(500, 'A logged-decisions file for training cannot be read.'),
  },
  'WebRTC (WHEP) and the SFU': {
    INVALID_SDP: client(400, 'The WHEP offer is empty, does not parse, is too long, or lacks an audio and a video m-line, ICE credentials or a fingerprint.'),
    NO_COMMON_CODEC: client(400, "The offer does not accept the show's video codec or Opus audio."),
    TOO_MANY_MEDIA: client(400, 'The offer has more m-lines than a viewer needs (at most 4).'),
    TOKEN_WRONG_SHOW: client(403, 'The viewer token is for another show.'),
    VIEWER_LIMIT: client(429, 'The show has as many WebRTC viewers as MAX_VIEWERS_PER_SHOW allows (a host preview, HOST_PREVIEW_RESERVE more); retry later.'),
    SESSION_NOT_FOUND: client(404, 'The show has no WHEP session with this id.'),
    SESSION_NOT_OWNED: client(403, 'The WHEP session belongs to another viewer.'),
    TRICKLE_UNSUPPORTED: client(405, 'Answers carry every candidate; trickle ICE (PATCH) is not used.'),
    SHOW_NOT_STREAMING: server(409, 'The SFU has no ingest for the show (it is starting or ending).'),
    INVALID_STATE: server(409, 'An SFU operation came in the wrong state.'),
    SFU_UNAVAILABLE: server(503, 'The SFU cannot take this viewer right now; retry.'),
    SFU_CLOSED: server(503, 'The SFU is shutting down.'),
    SFU_TIMEOUT: server(503, 'An SFU worker thread did not answer in time; retry.'),
    SFU_PIPE_FAILED: server(502, "The pipe carrying a show from the cluster node that runs it could not be set up: that node did not answer in time, or its endpoint or export is not usable; retry."),
    SFU_CANNOT_PIPE: server(501, "This node's SFU backend (werift) cannot pipe a show from another node; viewers of that show go to its node."),
  },
  Cluster: {
    CLUSTER_AUTH_INVALID: client(401, 'A node-to-node call (cluster headers, or a path under /internal/cluster/) is not signed with this cluster\'s CLUSTER_SECRET, or is stale.'),
    SHOW_MOVING: server(503, 'The node that ran the show is gone and another node is taking it over; retry after the retry-after seconds.'),
    CLUSTER_NODE_UNAVAILABLE: server(503, 'The node that runs the show did not answer; retry.'),
    CLUSTER_FULL: server(429, 'This node and every other node that could serve the show have MAX_VIEWERS_PER_NODE viewers; retry later.'),
    SHOW_EXISTS: server(409, 'A takeover found the show already running on this node.'),
  },
  'LL-HLS': {
    HLS_INVALID_QUERY: client(400, '_HLS_msn and _HLS_part must be single non-negative integers, and _HLS_part needs _HLS_msn.'),
    HLS_TOO_FAR_AHEAD: client(400, 'A blocking playlist request asks for a part too far beyond the live edge.'),
    HLS_NAME_INVALID: client(404, 'The HLS output has no file of this name.'),
    HLS_MEDIA_NOT_FOUND: client(404, 'The segment, part or init segment is no longer (or not yet) kept.'),
    HLS_NOT_AVAILABLE: server(503, 'The awaited part did not come within the bounded wait; retry.'),
  },
  Recordings: {
    RECORDING_ID_INVALID: client(400, 'A recording id is 16 hex digits.'),
    RECORDING_FILE_INVALID: client(400, 'The name is not a file a recording has.'),
    RECORDING_ACTION_INVALID: client(400, 'The body must be {"action": "start"} or {"action": "stop"}.'),
    RECORDING_NOT_FOUND: client(404, 'No recording has this id, or it has no such file.'),
    RECORDING_ALREADY_RUNNING: client(409, 'The show is already being recorded.'),
    RECORDING_NOT_RUNNING: client(409, 'The show is not being recorded.'),
    RECORDING_UNAVAILABLE: server(503, 'Recordings cannot be indexed or listed right now (Redis); try again.'),
    RECORDING_WRITE_FAILED: server(500, 'Writing the recording to disk failed; the recording ended.'),
    RECORDING_BACKLOG: server(500, 'The disk fell too far behind the recording; the recording ended.'),
  },
  'Batch jobs and assets': {
    PAYLOAD_INVALID: client(400, 'The job payload is off-contract (the message says how).'),
    ASSET_NAME_INVALID: client(400, 'An asset or clip name must be a lowercase slug.'),
    ASSET_NOT_FOUND: client(404, 'No asset has this key, or it has no preview.'),
    QUEUE_NOT_FOUND: client(404, 'No job queue has this name.'),
    JOB_NOT_FOUND: client(404, 'The queue has no job with this id.'),
    JOB_NOT_FAILED: client(409, 'Only a failed job can be retried.'),
    JOB_FINISHED: client(409, 'The job has already finished; it cannot be cancelled.'),
    QUEUE_UNAVAILABLE: server(503, 'The job queue (Redis) is unavailable; try again.'),
    JOB_CANCELLED: server(409, "A cancelled job's failure reason, as its status reports it."),
    RIG_BUNDLE_CORRUPT: server(500, 'A prewarmed rig in the asset store is corrupt; it is built again.'),
    RIG_RESOLUTION_UNSUPPORTED: server(500, 'The configured resolution is not one a rig can be drawn at.'),
    RIG_LOGO_UNREADABLE: server(500, "A persona's logo image cannot be decoded."),
    RENDER_THREAD_FAILED: server(500, "A show's render thread did not start or stopped drawing; its frames are drawn on the main thread."),
  },
  'Personas, scripts and the intent model': {
    CONFIG_INVALID: server(500, 'A setting in the environment is invalid; the server does not start.'),
    PERSONA_INVALID: server(500, 'A persona file is invalid (the message names the field).'),
    SCRIPT_CONFIG_INVALID: server(500, 'A script templates or policy file is invalid.'),
    SCRIPT_TEMPLATE_MISSING: server(500, 'No script template covers this intent and tone.'),
    SCRIPT_SLOT_MISSING: server(500, 'Every script template for the place needs a value the context lacks.'),
    LLM_CONFIG_INVALID: server(500, 'An LLM_* setting is missing or invalid.'),
    LLM_UNAVAILABLE: server(500, 'The LLM gave no usable answer in time; the cue falls back to a template.'),
    INTENT_TEXT_INVALID: server(500, 'The server passed the intent model something other than a string.'),
    INTENT_TEXT_CONTROL_CHARS: server(500, 'The server passed the intent model text with control characters.'),
    INTENT_TEXT_EMPTY: server(500, 'The server passed the intent model empty text.'),
    INTENT_TEXT_TOO_LONG: server(500, 'The server passed the intent model text that is too long.'),
    INTENT_MODEL_LABELS: server(500, "The intent model's labels do not match the intents this server knows."),
    INTENT_MODEL_OUTPUT: server(500, 'The intent model produced no usable output.'),
  },
  Safety: {
    SAFETY_TEXT_INVALID: client(400, 'The text to check is missing, not a string, or has control characters.'),
    SAFETY_TEXT_EMPTY: client(400, 'The text to check is empty.'),
    SAFETY_TEXT_TOO_LONG: client(400, 'The text to check is longer than 2,000 characters.'),
    SAFETY_LANGUAGE_INVALID: client(400, 'The language is not "en" or "es".'),
    SAFETY_MODEL_LABELS: server(500, "The safety model's labels do not match the categories this server knows."),
    SAFETY_MODEL_OUTPUT: server(500, 'The safety model produced no usable output.'),
  },
  'Rundown and autopilot': {
    RUNDOWN_INVALID: client(400, 'The rundown does not have the shape docs/rundown.md gives (a field, a line, a poll, a pause or a language is wrong).'),
    RUNDOWN_TOO_LARGE: client(400, 'The rundown is over a bound: segments, lines, languages, data feeds or the length of a line or title.'),
    RUNDOWN_UNKNOWN_CTA: client(400, "A line's offer names a CTA that is not in the overlay catalog."),
    RUNDOWN_DATA_URL_NOT_ALLOWED: client(400, "A data feed's URL is not http(s), carries credentials, or its host is not in DATA_FEED_HOSTS."),
    RUNDOWN_TEMPLATE_INVALID: client(400, 'A data slot is not {{feed.name}} of a declared feed, or names what a template may not read ({{constructor}}, {{__proto__}}).'),
    RUNDOWN_NOT_SET: client(409, 'The show has no rundown yet; PUT one first.'),
    RUNDOWN_SEGMENT_NOT_FOUND: client(404, 'The rundown has no segment with this id.'),
    AUTOPILOT_RUNNING: client(409, 'The autopilot is playing the rundown: it cannot be started again, and the rundown cannot be replaced until it is stopped.'),
    AUTOPILOT_NOT_RUNNING: client(409, 'The autopilot is not playing or paused (never started, finished or stopped).'),
  },
};

export const ERROR_CODES: Readonly<Record<string, ErrorCode>> = Object.assign({}, ...Object.values(ERROR_SECTIONS));

export function statusOf(code: string): number {
  return ERROR_CODES[code]?.status ?? 500;
}
