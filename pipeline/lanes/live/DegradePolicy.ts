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
 * One bad window steps down to level 1, which costs nothing but pictures. Level 2 swaps the
 * encoder (a short freeze and an audio gap at the viewer), so it needs overload that level 1
 * did not cure: several bad windows in a row, not a start-up transient. Several clean windows
 * in a row step back up (hysteresis).
 */
export class DegradePolicy {
  private level_ = 0;
  private cleanWindows = 0;
  private badWindows = 0;

  constructor(
    readonly maxLevel = 2,
    readonly stepDownLateShare = 0.05,
    readonly stepUpLateShare = 0.005,
    readonly cleanWindowsToStepUp = 5,
    readonly badWindowsToSwapEncoder = 3,
  ) {}

  get level(): number {
    return this.level_;
  }

  observe({ produced, late }: LaneWindow): number {
    if (produced <= 0) return this.level_;
    const lateShare = late / produced;
    if (lateShare > this.stepDownLateShare) {
      this.cleanWindows = 0;
      const needed = this.level_ === 0 ? 1 : this.badWindowsToSwapEncoder;
      if (++this.badWindows >= needed) {
        this.badWindows = 0;
        this.level_ = Math.min(this.maxLevel, this.level_ + 1);
      }
      return this.level_;
    }
    this.badWindows = 0;
    if (lateShare <= this.stepUpLateShare && this.level_ > 0 && ++this.cleanWindows >= this.cleanWindowsToStepUp) {
      this.cleanWindows = 0;
      this.level_--;
    } else if (lateShare > this.stepUpLateShare) {
      this.cleanWindows = 0;
    }
    return this.level_;
  }
}
