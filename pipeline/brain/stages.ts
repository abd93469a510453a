/** The stages a cue passes through, in order, each with its own latency budget (ms). */
export const STAGES = ['ingress', 'intent', 'script', 'tts', 'animate', 'render', 'encode', 'deliver'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Declared budgets. `script` is the template path's; the LLM path has `LLM_BUDGET_MS` to
 * its first sentence. `render` covers the wait for the next frame boundary (one frame at
 * 30 fps) plus the frame itself; `encode` ends at the first speech RTP at the SFU ingest.
 * `deliver` (SFU → each viewer) is declared, not traced per cue: see bench:cue and bench:glass.
 */
export const STAGE_BUDGETS_MS: Readonly<Record<StageName, number>> = {
  ingress: 5,
  intent: 30,
  script: 50,
  tts: 250,
  animate: 20,
  render: 50,
  encode: 60,
  deliver: 60,
};

/** Where the fallback ladder steps down to when a stage fails or runs past its budget. */
export type FallbackTier = 'template' | 'hold' | 'cached-clip' | 'text-overlay' | 'idle' | 'low-confidence';
