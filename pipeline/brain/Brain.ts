import type { IntentResult } from '../intent/IntentModel.js';
import { IntentModel } from '../intent/IntentModel.js';
import { IntentModelThread, type IntentClassifier } from '../intent/IntentModelThread.js';
import type { Intent } from '../intent/intents.js';
import type { KnowledgeFact } from '../knowledge/KnowledgeFact.js';
import type { Persona } from '../persona/index.js';
import { SafetyModel, type SafetyGuard, type SafetyVerdict } from '../safety/SafetyModel.js';
import { LlmScripter, loadPolicy, loadTemplates, PolicyFilter, ScriptStage, TemplateScripter, type ClassifiedIntent, type LlmConfig, type ScriptOutcome, type ShowContext } from '../script/index.js';
import type { StageTrace } from './StageTrace.js';

export type IntentPlacement = 'inline' | 'worker';

export interface Thought {
  classified: ClassifiedIntent;
  sentences: AsyncIterable<string>;
  /** Settles when the script has been read to its end; never rejects. */
  outcome: Promise<ScriptOutcome>;
  /**
   * Set when the prompt was read as a question and answered from the show's facts (those
   * retrieved for it, best first; empty: none matched and the presenter says it does not know).
   */
  grounded?: readonly KnowledgeFact[];
}

/**
 * The show's facts that answer `question` (docs/knowledge.md), for a prompt the classifier
 * reads as a question; undefined when the show keeps no facts at all (nothing to ground in).
 */
export type FactFinder = (question: string) => readonly KnowledgeFact[] | undefined;

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
    /** The safety classifier (docs/safety.md): prompts, template lines and LLM sentences pass it. */
    readonly safety: SafetyModel,
  ) {}

  /** `placement`: the intent stage in this thread (`inline`) or a worker thread of its own. */
  static async create(llm?: LlmConfig, placement: IntentPlacement = 'inline'): Promise<Brain> {
    const intents = placement === 'worker' ? await IntentModelThread.start() : await IntentModel.load();
    const safety = await SafetyModel.load();
    const script = new ScriptStage({
      safety,
      templates: new TemplateScripter(loadTemplates()),
      policy: new PolicyFilter(loadPolicy()),
      ...(llm && { llm: new LlmScripter(llm) }),
    });
    return new Brain(intents, script, llm?.model, safety);
  }

  classify(text: string): Promise<IntentResult> {
    return this.intents.classify(text);
  }

  /** The safety verdict on a viewer line or a prompt whose language is not known. */
  checkSafety(text: string): Promise<SafetyVerdict> {
    return this.safety.check(text);
  }

  /**
   * `hostIntent`: what the host says the prompt is; the classifier can still refuse it as
   * off_policy. `findFacts`: the show's facts, for a prompt read as a question
   * (`answer_question`) that came without them: it is answered from them as a viewer's
   * question is, or the presenter says it does not know (never an ungrounded answer).
   */
  async think(prompt: string, persona: Persona, context: ShowContext, trace: StageTrace, signal: AbortSignal, hostIntent?: Intent, findFacts?: FactFinder): Promise<Thought> {
    const [model, promptSafety] = await Promise.all([this.classifyStage(prompt, trace), checkPrompt(this.safety, prompt)]);
    const classified = hostIntent && model.intent !== 'off_policy' ? { intent: hostIntent, confidence: 1, version: model.version } : model;
    const scriptStart = trace.now();
    const grounded = classified.intent === 'answer_question' && context.facts === undefined && findFacts ? factsFor(findFacts, prompt) : undefined;
    // The host's question goes where a viewer's does: into the user message as data, and into the templates' {question}.
    const scripted = grounded ? { ...context, question: context.question ?? { text: prompt, viewerConsented: false }, facts: grounded } : context;
    const run = this.script.run({ classified, persona, context: scripted, traceId: trace.id, signal, promptSafety });
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
    return { classified, sentences: sentences(), outcome, ...(grounded && { grounded }) };
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
    await this.safety.close();
  }
}

/** Retrieval that fails finds nothing, so the presenter abstains rather than answer without facts. */
function factsFor(findFacts: FactFinder, question: string): readonly KnowledgeFact[] | undefined {
  try {
    return findFacts(question);
  } catch {
    return [];
  }
}

/** A prompt the safety model cannot check (too long, control characters) is refused: fail closed. */
async function checkPrompt(safety: SafetyGuard, prompt: string): Promise<SafetyVerdict> {
  try {
    return await safety.check(prompt);
  } catch {
    return { verdict: 'refuse', categories: [], score: 1 };
  }
}
