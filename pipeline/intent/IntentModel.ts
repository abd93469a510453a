import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { INTENT_ASSETS_DIR } from './dataset.js';
import { IntentModelError } from './errors.js';
import { extractFeatures, type FeatureConfig } from './features.js';
import { INTENTS, type Intent } from './intents.js';
import { validateIntentText } from './text.js';
import type { IntentManifest } from './train/trainer.js';

export interface IntentResult {
  intent: Intent;
  confidence: number;
  version: string;
  probabilities: Record<Intent, number>;
}

/** The committed intent classifier (assets/intent/model.onnx) run by onnxruntime. */
export class IntentModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly manifest: IntentManifest,
  ) {}

  static async load(dir: string = INTENT_ASSETS_DIR): Promise<IntentModel> {
    const manifest = JSON.parse(
      await readFile(path.join(dir, 'model.json'), 'utf8'),
    ) as IntentManifest;
    if (manifest.labels.join() !== INTENTS.join()) {
      throw new IntentModelError(
        'INTENT_MODEL_LABELS',
        `model labels ${manifest.labels.join()} differ from INTENTS`,
      );
    }
    const bytes = await readFile(path.join(dir, 'model.onnx'));
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    return new IntentModel(session, manifest);
  }

  get version(): string {
    return this.manifest.version;
  }

  get featureConfig(): FeatureConfig {
    return this.manifest.features;
  }

  async classify(text: string): Promise<IntentResult> {
    const [result] = await this.classifyBatch([text]);
    return result!;
  }

  /** One session run for the whole batch; every text is validated before anything runs. */
  async classifyBatch(texts: readonly string[]): Promise<IntentResult[]> {
    if (texts.length === 0) return [];
    const valid = texts.map(validateIntentText);
    const { dimension } = this.manifest.features;
    const input = new Float32Array(valid.length * dimension);
    valid.forEach((text, i) =>
      input.set(extractFeatures(text, this.manifest.features), i * dimension),
    );
    const feeds = {
      [this.manifest.model.input]: new ort.Tensor('float32', input, [valid.length, dimension]),
    };
    const output = (await this.session.run(feeds))[this.manifest.model.output];
    if (!output)
      throw new IntentModelError('INTENT_MODEL_OUTPUT', 'the model produced no probabilities');
    const data = output.data as Float32Array;
    const classes = INTENTS.length;
    return valid.map((_, row) => {
      const probabilities = {} as Record<Intent, number>;
      let best: Intent = INTENTS[0];
      INTENTS.forEach((intent, c) => {
        probabilities[intent] = data[row * classes + c]!;
        if (probabilities[intent] > probabilities[best]) best = intent;
      });
      return {
        intent: best,
        confidence: probabilities[best],
        version: this.version,
        probabilities,
      };
    });
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
