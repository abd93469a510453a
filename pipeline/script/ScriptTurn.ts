import { randomUUID } from 'node:crypto';
import type { Intent } from '../intent/intents.js';
import { safetyRule, type SafetyVerdict } from '../safety/SafetyModel.js';
import { splitSentences } from '../text/sentences.js';
import {
  LlmUnavailableError,
  ScriptAbortedError,
  TemplateNotFoundError,
  TemplateSlotMissingError,
} from './errors.js';
import { holdLine } from './holdLine.js';
import { scriptLanguageOf } from './language.js';
import type { LlmScripter } from './LlmScripter.js';
import type { PolicyContext } from './PolicyDecision.js';
import { buildScriptAudit, type ScriptAudit, type ScriptSource } from './ScriptAudit.js';
import type { ScriptFallback, ScriptGrounding, ScriptOutcome, ScriptPath } from './ScriptOutcome.js';
import { groundingCheck, type GroundingVerdict } from '../knowledge/groundedness.js';
import type { KnowledgeFact } from '../knowledge/KnowledgeFact.js';
import type { TemplateKind } from './TemplateSet.js';
import type { ScriptRequest, ScriptStageOptions } from './ScriptRequest.js';

/** The state of one run: what was spoken, by which path, and the audit trail. */
export class ScriptTurn {
  private readonly traceId: string;
  private readonly policyContext: PolicyContext;
  private readonly sentences: string[] = [];
  private readonly audits: ScriptAudit[] = [];
  private status: ScriptOutcome['status'] = 'stopped';
  private path: ScriptPath = 'template';
  private source: ScriptSource = 'template';
  private fallback: ScriptFallback = 'none';
  private fallbackReason: string | undefined;
  private refusal: string | undefined;
  private grounding: ScriptGrounding | undefined;
  private readonly now: () => number;

  constructor(
    private readonly options: ScriptStageOptions,
    private readonly threshold: number,
    private readonly request: ScriptRequest,
  ) {
    this.traceId = request.traceId ?? randomUUID();
    this.now = options.now ?? Date.now;
    const { context, persona } = request;
    this.policyContext = {
      intent: request.classified.intent,
      sponsor: context.offer?.sponsor,
      region: context.region,
      language: scriptLanguageOf(persona) ?? 'en',
    };
  }

  async *speak(settle: (outcome: ScriptOutcome) => void): AsyncGenerator<string, void, undefined> {
    try {
      this.checkAbort();
      const { intent, confidence } = this.request.classified;
      if (intent === 'off_policy') {
        this.refuse('off_policy');
      } else if (this.request.promptSafety?.verdict === 'refuse') {
        this.refuse(safetyRule(this.request.promptSafety));
      } else if (intent === 'answer_question' && this.request.context.facts !== undefined) {
        yield* this.answerPath(this.request.context.facts);
      } else if (confidence >= this.threshold) {
        yield* this.templatePath(intent, []);
      } else if (this.options.llm) {
        yield* this.llmPath(intent, this.options.llm);
      } else {
        this.fellBack('hold', 'no-llm');
        yield* this.holdPath(['low-confidence']);
      }
      if (this.status === 'stopped') this.status = 'spoken';
    } catch (err) {
      if (err instanceof ScriptAbortedError) {
        this.status = 'aborted';
        this.audit({
          source: this.source,
          decision: 'allow',
          text: this.sentences.join(' '),
          rulesFired: ['interrupted'],
        });
      }
      throw err;
    } finally {
      settle({
        status: this.status,
        path: this.path,
        fallback: this.fallback,
        ...(this.fallbackReason === undefined ? {} : { fallbackReason: this.fallbackReason }),
        sentences: [...this.sentences],
        audits: [...this.audits],
        ...(this.refusal === undefined ? {} : { refusal: this.refusal }),
        ...(this.grounding && { grounding: { ...this.grounding, facts: [...this.grounding.facts] } }),
      });
    }
  }

  private refuse(reason: string): void {
    this.status = 'refused';
    this.path = 'refused';
    this.source = 'hold';
    this.refusal = reason;
    this.audit({ source: 'hold', decision: 'block', text: '', rulesFired: [`refused:${reason}`] });
  }

  /** The safety classifier's verdict on a line about to be spoken; a failed check refuses it (fail closed). */
  private async safetyOf(text: string): Promise<SafetyVerdict | undefined> {
    const { safety } = this.options;
    if (!safety) return undefined;
    try {
      const verdict = await safety.check(text, this.policyContext.language);
      return verdict.verdict === 'refuse' ? verdict : undefined;
    } catch {
      return { verdict: 'refuse', categories: [], score: 1 };
    }
  }

  /**
   * A template line and what a viewer wrote in it, checked apart: harmless words around a
   * viewer's question (a fact stated after it) must not dilute it below the threshold. Each
   * sentence of the line, and the viewer's question, is checked on its own.
   */
  private async unsafeFill(text: string, viewerText: string | undefined): Promise<SafetyVerdict | undefined> {
    for (const part of [...(viewerText === undefined ? [] : [viewerText]), ...splitSentences(text).map((s) => s.text)]) {
      const verdict = await this.safetyOf(part);
      if (verdict) return verdict;
    }
    return undefined;
  }

  /**
   * A viewer's question answered from the show's facts (docs/knowledge.md): none matched, so
   * the presenter says it does not know; or the LLM answers with the facts as context, each
   * sentence checked against them; or (no LLM, or it strayed or failed) a template states the
   * best fact. Never a guess.
   */
  private async *answerPath(facts: readonly KnowledgeFact[]) {
    if (facts.length === 0) {
      this.grounding = { status: 'abstained', facts: [], strayed: 0 };
      yield* this.templatePath('answer_unknown', ['no-matching-fact']);
      return;
    }
    this.grounding = { status: 'answered', facts: facts.map((fact) => fact.id), strayed: 0 };
    if (!this.options.llm) {
      yield* this.templatePath('answer_question', []);
      return;
    }
    const { persona, context } = this.request;
    const named = [context.question?.text, context.question?.viewerName, persona.branding.presenterName, persona.branding.showTitle, context.title, context.topic];
    const check = groundingCheck(facts.map((fact) => fact.text), named.filter((text): text is string => text !== undefined));
    yield* this.llmPath('answer_question', this.options.llm, check);
  }

  private async *templatePath(
    intent: Exclude<TemplateKind, 'off_policy'>,
    extraRules: string[],
    llmModel?: string,
  ) {
    this.path = 'template';
    this.source = 'template';
    const { persona, context } = this.request;
    let line;
    try {
      line = this.options.templates.generate(
        intent,
        persona,
        context,
        this.request.seed ?? this.traceId,
      );
    } catch (err) {
      if (!(err instanceof TemplateNotFoundError || err instanceof TemplateSlotMissingError))
        throw err;
      this.fellBack('hold', err.code);
      yield* this.holdPath([...extraRules, err.code]);
      return;
    }
    const checked = this.options.policy.check(line.text, this.policyContext);
    const unsafe = checked.decision === 'block' ? undefined : await this.unsafeFill(checked.text, context.question?.text);
    this.checkAbort();
    const blocked = checked.decision === 'block' || unsafe !== undefined;
    this.audit({
      source: 'template',
      templateId: line.templateId,
      llmModel,
      decision: blocked ? 'block' : checked.decision,
      text: blocked ? line.text : checked.text,
      rulesFired: [...extraRules, ...checked.rulesFired, ...(unsafe ? [safetyRule(unsafe)] : [])],
    });
    if (blocked) {
      this.fellBack('hold', unsafe ? 'safety-block' : 'policy-block');
      yield* this.holdPath([]);
      return;
    }
    yield* this.say(splitSentences(checked.text).map((s) => s.text));
  }

  /** `grounding`: a sentence it refuses strays from the facts and is not spoken (docs/knowledge.md). */
  private async *llmPath(intent: Exclude<Intent, 'off_policy'>, llm: LlmScripter, grounding?: (sentence: string) => GroundingVerdict) {
    this.path = 'llm';
    this.source = 'llm';
    const policy = this.options.policy.open(this.policyContext);
    const spokenBefore = this.sentences.length;
    let failure: LlmUnavailableError | undefined;
    let blockedText: string | undefined;
    let unsafe: SafetyVerdict | undefined;
    let strayed: GroundingVerdict | undefined;
    try {
      const { persona, context, signal } = this.request;
      for await (const sentence of llm.sentences({
        intent,
        persona,
        context,
        ...(signal ? { signal } : {}),
      })) {
        // A sentence that strays from the facts is not spoken either: the stream stops there.
        const verdict = grounding?.(sentence);
        if (verdict && !verdict.grounded) {
          strayed = verdict;
          blockedText = sentence;
          break;
        }
        // A sentence the safety classifier refuses never reaches the consumer (TTS); the stream stops.
        unsafe = await this.safetyOf(sentence);
        if (unsafe) {
          blockedText = sentence;
          break;
        }
        const checked = policy.next(sentence);
        if (checked.decision === 'block') blockedText = sentence;
        if (checked.text !== '') yield* this.say([checked.text]);
        if (policy.ended) break; // stops the stream and closes the connection
      }
    } catch (err) {
      if (!(err instanceof LlmUnavailableError)) throw err;
      failure = err;
    }
    const spokenByLlm = this.sentences.slice(spokenBefore);
    const unavailable = failure ? [`llm-unavailable:${failure.reason}`] : [];
    const safetyRules = unsafe ? [safetyRule(unsafe)] : [];
    const blockReason = unsafe ? 'safety-block' : strayed ? 'ungrounded' : 'policy-block';
    if (strayed) {
      // Kept in the audit, never spoken; the host sees the count on the cue.
      this.grounding!.strayed++;
      this.audit({ source: 'llm', llmModel: llm.model, decision: 'block', text: blockedText!, rulesFired: [`ungrounded:${strayed.unsupported.slice(0, 8).join(',')}`] });
    }
    if (unsafe) {
      // The refused sentence is kept in the audit (never spoken), whether or not others were.
      this.audit({ source: 'llm', llmModel: llm.model, decision: 'block', text: blockedText!, rulesFired: safetyRules });
    }
    if (spokenByLlm.length === 0) {
      if (blockedText !== undefined && !unsafe && !strayed) {
        this.audit({
          source: 'llm',
          llmModel: llm.model,
          decision: 'block',
          text: blockedText,
          rulesFired: policy.rulesFired,
        });
      }
      this.fellBack('template', failure?.reason ?? blockReason);
      yield* this.templatePath(intent, unavailable, llm.model);
      return;
    }
    if (failure || blockedText !== undefined)
      this.fellBack('truncated', failure?.reason ?? blockReason);
    const tail = policy.finish();
    if (tail.text !== '') yield* this.say(splitSentences(tail.text).map((s) => s.text));
    this.audit({
      source: 'llm',
      llmModel: llm.model,
      decision: unsafe || strayed ? 'amend' : policy.decision,
      text: this.sentences.slice(spokenBefore).join(' '),
      rulesFired: [...unavailable, ...policy.rulesFired, ...safetyRules],
    });
  }

  private async *holdPath(extraRules: string[]) {
    this.path = 'hold';
    this.source = 'hold';
    const checked = this.options.policy.check(holdLine(scriptLanguageOf(this.request.persona)), {
      ...this.policyContext,
      intent: undefined,
    });
    this.audit({
      source: 'hold',
      decision: checked.decision,
      text: checked.text,
      rulesFired: [...extraRules, ...checked.rulesFired],
    });
    yield* this.say(splitSentences(checked.text).map((s) => s.text));
  }

  private async *say(sentences: readonly string[]) {
    for (const sentence of sentences) {
      this.checkAbort();
      this.sentences.push(sentence);
      yield sentence;
    }
  }

  private fellBack(fallback: ScriptFallback, reason: string): void {
    this.fallback = fallback;
    this.fallbackReason = reason;
  }

  private audit(
    record: Omit<
      Parameters<typeof buildScriptAudit>[0],
      'traceId' | 'intent' | 'intentConfidence' | 'modelVersion'
    >,
  ) {
    const { intent, confidence, version } = this.request.classified;
    this.audits.push(
      buildScriptAudit({
        traceId: this.traceId,
        intent,
        intentConfidence: confidence,
        modelVersion: version,
        at: this.now(),
        ...record,
      }),
    );
  }

  private checkAbort(): void {
    if (this.request.signal?.aborted) throw new ScriptAbortedError();
  }
}
