import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { RankerModelError } from '../decisionErrors.js';
import { FEATURE_DIMENSION, FEATURE_NAMES } from './featureLayout.js';
import type { RankerManifest } from './rankerManifest.js';
import type { RankerScorer } from './RankerScorer.js';

/** One committed ranker version (assets/ranker/<version>) run by onnxruntime. */
export class RankerModel implements RankerScorer {
  readonly dimension = FEATURE_DIMENSION;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly manifest: RankerManifest,
  ) {}

  static async load(dir: string): Promise<RankerModel> {
    let manifest: RankerManifest;
    let bytes: Buffer;
    try {
      manifest = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as RankerManifest;
      bytes = await readFile(path.join(dir, manifest.model.file));
    } catch (error) {
      throw new RankerModelError('RANKER_MODEL_UNREADABLE', `${dir}: ${(error as Error).message}`);
    }
    if (manifest.features.names.join() !== FEATURE_NAMES.join()) {
      throw new RankerModelError(
        'RANKER_FEATURES_MISMATCH',
        `${manifest.version}: feature layout differs`,
      );
    }
    if (createHash('sha256').update(bytes).digest('hex') !== manifest.model.sha256) {
      throw new RankerModelError(
        'RANKER_MODEL_CHECKSUM',
        `${manifest.version}: model.onnx checksum differs`,
      );
    }
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    const model = new RankerModel(session, manifest);
    // The first runs allocate and plan; pay for them here, not in a viewer's decision.
    for (let i = 0; i < 3; i++) await model.score(new Float32Array(FEATURE_DIMENSION * 8), 8);
    return model;
  }

  get version(): string {
    return this.manifest.version;
  }

  async score(features: Float32Array, rows: number): Promise<Float32Array> {
    const input = new ort.Tensor('float32', features.subarray(0, rows * this.dimension), [
      rows,
      this.dimension,
    ]);
    const output = (await this.session.run({ [this.manifest.model.input]: input }))[
      this.manifest.model.output
    ];
    if (!output) throw new RankerModelError('RANKER_MODEL_OUTPUT', 'the model produced no scores');
    return output.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
