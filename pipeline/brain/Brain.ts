import type { IntentResult } from '../intent/IntentModel.js';
import { IntentModel } from '../intent/IntentModel.js';
import { IntentModelThread, type IntentClassifier } from '../intent/IntentModelThread.js';
import type { Intent } from '../intent/intents.js';
import type { Persona } from '../persona/index.js';
import { LlmScripter, loadPolicy, loadTemplates, PolicyFilter, ScriptStage, TemplateScripter, type ClassifiedIntent, type LlmConfig, type ScriptOutcome, type ShowContext } from '../script/index.js';
import type { StageTrace } from './StageTrace.js';

export type IntentPlacement = 'inline' | 'worker';

export interface Thought {
  classified: ClassifiedIntent;
  sentences: AsyncIterable<string>;
  /** Settles when the script has been read to its end; never rejects. */
  outcome: Promise<ScriptOutcome>;
}

/**
 * The presenter's thinking stages: intent (the ONNX classifier) → script (templates, the LLM
 * or a hold line, every line through the policy filter). Each stage is timed on the cue's
 * trace, and each fallback the script stage takes is recorded there.
 */
export class Brain {
  private constructor(
    private readonly intents: IntentClassifier,
    private readonly script: ScriptStage,
    readonly llmModel: string | undefined,
  ) {}

  /** `placement`: the intent stage in this thread (`inline`) or a worker thread of its own. */
  static async create(llm?: LlmConfig, placement: IntentPlacement = 'inline'): Promise<Brain> {
    const intents = placement === 'worker' ? await IntentModelThread.start() : await IntentModel.load();
    const script = new ScriptStage({
      templates: new TemplateScripter(loadTemplates()),
      policy: new PolicyFilter(loadPolicy()),
      ...(llm && { llm: new LlmScripter(llm) }),
    });
    return new Brain(intents, script, llm?.model);
  }

  classify(text: string): Promise<IntentResult> {
    return this.intents.classify(text);
  }

  /** `hostIntent`: what the host says the prompt is; the classifier can still refuse it as off_policy. */
  async think(prompt: string, persona: Persona, context: ShowContext, trace: StageTrace, signal: AbortSignal, hostIntent?: Intent): Promise<Thought> {
    const model = await this.classifyStage(prompt, trace);
    const classified = hostIntent && model.intent !== 'off_policy' ? { intent: hostIntent, confidence: 1, version: model.version } : model;
    const scriptStart = trace.now();
    const run = this.script.run({ classified, persona, context, traceId: trace.id, signal });
    const outcome = run.outcome.then((result) => {
      if (result.fallback !== 'none') trace.fallback('script', result.fallback === 'truncated' ? 'template' : result.fallback, result.fallbackReason ?? result.fallback);
      return result;
    });
    async function* sentences(): AsyncGenerator<string> {
      let first = true;
      for await (const sentence of run) {
        if (first) trace.end('script', scriptStart, `${classified.intent} → first sentence`);
        first = false;
        yield sentence;
      }
      if (first) trace.end('script', scriptStart, `${classified.intent} → nothing to say`);
    }
    return { classified, sentences: sentences(), outcome };
  }

  /** A classifier failure is not fatal: the cue goes on as low-confidence (LLM or hold line). */
  private async classifyStage(prompt: string, trace: StageTrace): Promise<ClassifiedIntent> {
    const start = trace.now();
    try {
      const { intent, confidence, version } = await this.intents.classify(prompt);
      trace.end('intent', start, `${intent} ${confidence.toFixed(2)}`);
      return { intent, confidence, version };
    } catch (error) {
      trace.end('intent', start, 'failed');
      trace.fallback('intent', 'low-confidence', (error as { code?: string }).code ?? (error as Error).message);
      return { intent: 'small_talk', confidence: 0, version: this.intents.version };
    }
  }

  async close(): Promise<void> {
    await this.intents.close();
  }
}
