import { argmax } from './network.js';

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  count: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassScores>;
  /** confusion[true][predicted], in label order. */
  confusion: number[][];
  /** Expected calibration error over 10 equal-width confidence bins. */
  ece: number;
}

const ECE_BINS = 10;

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export function expectedCalibrationError(
  confidences: readonly number[],
  correct: readonly boolean[],
): number {
  const bins = Array.from({ length: ECE_BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  confidences.forEach((confidence, i) => {
    const bin = bins[Math.min(ECE_BINS - 1, Math.floor(confidence * ECE_BINS))]!;
    bin.count++;
    bin.confidence += confidence;
    bin.correct += correct[i] ? 1 : 0;
  });
  const total = confidences.length;
  return bins.reduce(
    (sum, b) =>
      b.count ? sum + ((b.count / total) * Math.abs(b.correct - b.confidence)) / b.count : sum,
    0,
  );
}

/** Scores predicted probability rows against true label indices. */
export function evaluate(
  labels: readonly string[],
  truth: readonly number[],
  probabilities: readonly ArrayLike<number>[],
): Evaluation {
  const classes = labels.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const confidences: number[] = [];
  const correct: boolean[] = [];
  probabilities.forEach((p, i) => {
    const predicted = argmax(p);
    confusion[truth[i]!]![predicted]!++;
    confidences.push(p[predicted]!);
    correct.push(predicted === truth[i]);
  });
  const perClass: Record<string, ClassScores> = {};
  labels.forEach((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      support,
    };
  });
  const f1s = Object.values(perClass).map((s) => s.f1);
  return {
    count: truth.length,
    accuracy: round(correct.filter(Boolean).length / truth.length),
    macroF1: round(f1s.reduce((a, b) => a + b, 0) / f1s.length),
    perClass,
    confusion,
    ece: round(expectedCalibrationError(confidences, correct)),
  };
}

/** Scores and the confusion matrix as an aligned text table (rows: truth, columns: prediction). */
export function formatEvaluation(labels: readonly string[], e: Evaluation): string {
  const width = Math.max(...labels.map((l) => l.length));
  const short = labels.map((l) => l.slice(0, 5).padStart(5));
  const lines = [
    `n=${e.count} accuracy=${e.accuracy.toFixed(4)} macro-F1=${e.macroF1.toFixed(4)} ECE=${e.ece.toFixed(4)}`,
    '',
    `${'intent'.padEnd(width)}  precision  recall  f1      support`,
    ...labels.map((l) => {
      const s = e.perClass[l]!;
      return `${l.padEnd(width)}  ${s.precision.toFixed(4).padEnd(9)}  ${s.recall.toFixed(4)}  ${s.f1.toFixed(4)}  ${s.support}`;
    }),
    '',
    `confusion (rows: true, columns: predicted)`,
    `${''.padEnd(width)} ${short.join(' ')}`,
    ...labels.map(
      (l, r) => `${l.padEnd(width)} ${e.confusion[r]!.map((n) => String(n).padStart(5)).join(' ')}`,
    ),
  ];
  return lines.join('\n');
}
