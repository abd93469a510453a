/** Frames produced and late during one observation window of the live lane. */
export interface LaneWindow {
  produced: number;
  late: number;
}

/**
 * When the live lane cannot keep up, degrade in steps rather than fall behind:
 *   0 — configured picture rate and resolution
 *   1 — half picture rate (every other frame repeats the last picture; audio is untouched)
 *   2 — half picture rate and half resolution
 * One bad window steps down; several clean windows in a row step back up (hysteresis).
 */
export class DegradePolicy {
  private level_ = 0;
  private cleanWindows = 0;

  constructor(
    readonly maxLevel = 2,
    readonly stepDownLateShare = 0.05,
    readonly stepUpLateShare = 0.005,
    readonly cleanWindowsToStepUp = 5,
  ) {}

  get level(): number {
    return this.level_;
  }

  observe({ produced, late }: LaneWindow): number {
    if (produced <= 0) return this.level_;
    const lateShare = late / produced;
    if (lateShare > this.stepDownLateShare) {
      this.cleanWindows = 0;
      this.level_ = Math.min(this.maxLevel, this.level_ + 1);
    } else if (lateShare <= this.stepUpLateShare && this.level_ > 0 && ++this.cleanWindows >= this.cleanWindowsToStepUp) {
      this.cleanWindows = 0;
      this.level_--;
    } else if (lateShare > this.stepUpLateShare) {
      this.cleanWindows = 0;
    }
    return this.level_;
  }
}
