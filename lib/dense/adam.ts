/** A trainable tensor with its gradient and Adam moments. `decay`: L2 applies (weights, not biases). */
export interface AdamParam {
  value: Float64Array;
  grad: Float64Array;
  m: Float64Array;
  v: Float64Array;
  decay: boolean;
}

export const adamParam = (size: number, decay: boolean, init: () => number = () => 0): AdamParam => ({
  value: Float64Array.from({ length: size }, init),
  grad: new Float64Array(size),
  m: new Float64Array(size),
  v: new Float64Array(size),
  decay,
});

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** Adam with bias correction and L2 on decaying params; each step consumes and clears the gradients. */
export class Adam {
  private step = 0;

  constructor(
    private readonly learningRate: number,
    private readonly l2: number,
  ) {}

  update(params: readonly AdamParam[]): void {
    this.step++;
    const lr = (this.learningRate * Math.sqrt(1 - BETA2 ** this.step)) / (1 - BETA1 ** this.step);
    for (const p of params) {
      for (let i = 0; i < p.value.length; i++) {
        const g = p.grad[i]! + (p.decay ? this.l2 * p.value[i]! : 0);
        p.m[i] = BETA1 * p.m[i]! + (1 - BETA1) * g;
        p.v[i] = BETA2 * p.v[i]! + (1 - BETA2) * g * g;
        p.value[i]! -= (lr * p.m[i]!) / (Math.sqrt(p.v[i]!) + EPSILON);
        p.grad[i] = 0;
      }
    }
  }
}
