/**
 * The one place domain error codes become HTTP statuses. Domain code throws `CodedError`
 * (or a subclass) with a code from here; a code missing from this table is a bug and
 * leaves as 500, which the error handler logs.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  // Shows and their media.
  SHOW_LIMIT: 429,
  SHOW_NOT_FOUND: 404,
  SHOW_ENDED: 409,
  SHOW_HAS_NO_PRESENTER: 409,
  SHOW_HAS_NO_BRAIN: 409,
  SINK_NOT_FOUND: 404,
  SINK_UNSUPPORTED: 409,
  SINK_EXISTS: 409,
  // Cues.
  CUE_NOT_FOUND: 404,
  CUE_QUEUE_FULL: 429,
  CUE_NOT_AWAITING_APPROVAL: 409,
  INVALID_OFFER: 400,
  OFFER_WORD_NOT_IN_TEXT: 400,
  UNKNOWN_OVERLAY: 400,
  // Polls and the audience.
  INVALID_POLL: 400,
  POLL_NOT_FOUND: 404,
  POLL_ALREADY_OPEN: 409,
  POLL_CLOSED: 409,
  POLL_UNAVAILABLE: 503,
  ALREADY_VOTED: 409,
  INVALID_EVENT: 400,
  NOT_JOINED: 409,
  NOT_CONNECTED: 409,
  DECISION_NOT_FOUND: 404,
  INVALID_OVERLAY: 400,
  VIEWER_STORE_UNAVAILABLE: 503,
  // A host's shared overlay: Audience.pushShared passes the template validator's code on.
  OVERLAY_NOT_OBJECT: 400,
  OVERLAY_UNKNOWN_FIELD: 400,
  OVERLAY_MISSING_FIELD: 400,
  OVERLAY_BAD_TEXT: 400,
  OVERLAY_TEXT_TOO_LONG: 400,
  OVERLAY_CONTROL_CHARACTERS: 400,
  OVERLAY_BAD_LINK: 400,
  OVERLAY_BAD_BOOLEAN: 400,
  OVERLAY_BAD_NUMBER: 400,
  OVERLAY_BAD_ID: 400,
  OVERLAY_BAD_PLACEMENT: 400,
  OVERLAY_BAD_IMAGE: 400,
  OVERLAY_IMAGE_MISSING: 400,
  OVERLAY_BAD_COLOUR: 400,
  OVERLAY_BAD_REGION: 400,
  OVERLAY_BAD_TOPIC: 400,
  OVERLAY_BAD_LANGUAGE: 400,
  OVERLAY_GUARANTEE_NEEDS_SPONSOR: 400,
  OVERLAY_GUARANTEE_EXCEEDS_INVENTORY: 400,
  // The SFU: a bad offer is the caller's; otherwise the SFU cannot serve now and a retry may.
  INVALID_SDP: 400,
  NO_COMMON_CODEC: 400,
  TOO_MANY_MEDIA: 400,
  SHOW_NOT_STREAMING: 409,
  INVALID_STATE: 409,
  SFU_UNAVAILABLE: 503,
  SFU_CLOSED: 503,
  // What lib/WorkerRequests calls a worker thread's failure that has no code; only the SFU's
  // workers answer through it, so it is the SFU being unable to serve.
  INTERNAL: 503,
  // Speech. Text and voices are the caller's input; the engine's failures have always been 400 too.
  TEXT_INVALID: 400,
  TEXT_CONTROL_CHARS: 400,
  TEXT_EMPTY: 400,
  TEXT_TOO_LONG: 400,
  VOICE_UNKNOWN: 400,
  TTS_ABORTED: 400,
  TTS_UNAVAILABLE: 400,
  TTS_FAILED: 400,
  // Personas, batch jobs and assets.
  PERSONA_UNKNOWN: 400,
  PAYLOAD_INVALID: 400,
  ASSET_NAME_INVALID: 400,
  ASSET_NOT_FOUND: 404,
  // Faults on the server's side (broken config, an unusable model or LLM, intent text the
  // server should have checked first): listed so every code is named here; the client gets
  // the code and "internal error".
  PERSONA_INVALID: 500,
  SCRIPT_CONFIG_INVALID: 500,
  SCRIPT_TEMPLATE_MISSING: 500,
  SCRIPT_SLOT_MISSING: 500,
  SCRIPT_ABORTED: 500,
  LLM_CONFIG_INVALID: 500,
  LLM_UNAVAILABLE: 500,
  INTENT_TEXT_INVALID: 500,
  INTENT_TEXT_CONTROL_CHARS: 500,
  INTENT_TEXT_EMPTY: 500,
  INTENT_TEXT_TOO_LONG: 500,
  INTENT_MODEL_LABELS: 500,
  INTENT_MODEL_OUTPUT: 500,
  // Input the caller sent, and how often.
  INVALID_REQUEST: 400,
  RATE_LIMITED: 429,
};

export function statusOf(code: string): number {
  return ERROR_STATUS[code] ?? 500;
}
