import { LlmConfigError } from './errors.js';

export interface LlmConfig {
  /** Chat Completions endpoint, or a base URL such as `http://127.0.0.1:8080/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  /** Time allowed from the request to the first complete sentence. */
  budgetMs: number;
  /** Cap on the whole streamed answer; defaults to `max(budgetMs, 15 000)`. */
  totalBudgetMs?: number;
  maxTokens?: number;
  /** Cap on the bytes of one streamed answer; defaults to `DEFAULT_LLM_MAX_ANSWER_BYTES`. */
  maxAnswerBytes?: number;
}

/** An answer of `max_tokens` 160 is a few KiB of SSE; anything near this is not a chat answer. */
export const DEFAULT_LLM_MAX_ANSWER_BYTES = 256 * 1024;

export const DEFAULT_LLM_BUDGET_MS = 1_500;
const BUDGET_RANGE_MS = [50, 60_000] as const;

/**
 * Reads `LLM_URL`, `LLM_MODEL`, `LLM_API_KEY` and `LLM_BUDGET_MS`. Without `LLM_URL` the LLM
 * is off (undefined); anything invalid throws `LlmConfigError` naming the variable.
 */
export function llmConfigFromEnv(env: Record<string, string | undefined>): LlmConfig | undefined {
  const url = env.LLM_URL?.trim();
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LlmConfigError('LLM_URL', 'not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LlmConfigError('LLM_URL', 'must be an http:// or https:// URL');
  }
  const model = env.LLM_MODEL?.trim();
  if (!model) throw new LlmConfigError('LLM_MODEL', 'is required when LLM_URL is set');
  if (model.length > 200) throw new LlmConfigError('LLM_MODEL', 'is longer than 200 characters');
  const budgetMs = readBudget(env.LLM_BUDGET_MS);
  const apiKey = env.LLM_API_KEY?.trim();
  const insecureAllowed = allowInsecure(env.LLM_ALLOW_INSECURE);
  if (apiKey && parsed.protocol === 'http:' && !isLoopback(parsed.hostname) && !insecureAllowed) {
    throw new LlmConfigError(
      'LLM_URL',
      'sends LLM_API_KEY over plain http:// to a host that is not loopback; use https:// (or set LLM_ALLOW_INSECURE=true on a trusted network)',
    );
  }
  return apiKey ? { url, model, apiKey, budgetMs } : { url, model, budgetMs };
}

function allowInsecure(raw: string | undefined): boolean {
  const value = raw?.trim() ?? '';
  if (value === '' || ['0', 'false', 'no'].includes(value)) return false;
  if (['1', 'true', 'yes'].includes(value)) return true;
  throw new LlmConfigError('LLM_ALLOW_INSECURE', `expected true or false, got "${value}"`);
}

/** 127.0.0.0/8, ::1 and localhost: a key sent there never crosses a network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function readBudget(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_LLM_BUDGET_MS;
  const value = Number(raw);
  const [min, max] = BUDGET_RANGE_MS;
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new LlmConfigError(
      'LLM_BUDGET_MS',
      `expected an integer number of milliseconds in ${min}..${max}`,
    );
  }
  return value;
}

/** The Chat Completions endpoint for a configured URL. */
export function chatCompletionsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}
