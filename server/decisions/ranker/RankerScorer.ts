/** Anything that turns feature rows into click probabilities: the ORT model, or a test double. */
export interface RankerScorer {
  readonly version: string;
  readonly dimension: number;
  /** `rows` rows of `dimension` floats → one probability per row. */
  score(features: Float32Array, rows: number): Promise<Float32Array>;
  close?(): Promise<void>;
}
