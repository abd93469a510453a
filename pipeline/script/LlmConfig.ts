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
}

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
  return apiKey ? { url, model, apiKey, budgetMs } : { url, model, budgetMs };
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
