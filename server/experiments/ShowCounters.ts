/**
 * One show's counters in memory. `view` is always Redis's last known value plus what is
 * not confirmed yet (in flight or pending), so readers see current totals without Redis.
 */
export class ShowCounters {
  readonly known = new Map<string, number>();
  pending = new Map<string, number>();
  inFlight: Map<string, number> | undefined;
  readonly view = new Map<string, number>();
  /** Live per-template impressions (fields `tpl:<id>`), updated in place: read it, do not mutate it. */
  readonly templates: Record<string, number> = Object.create(null) as Record<string, number>;
  hydrated = false;

  get(field: string): number {
    return this.view.get(field) ?? 0;
  }

  add(field: string, amount: number): void {
    this.pending.set(field, (this.pending.get(field) ?? 0) + amount);
    this.setView(field, this.get(field) + amount);
  }

  /** Moves the pending increments in flight; undefined when there are none. */
  takePending(): Map<string, number> | undefined {
    if (this.pending.size === 0) return undefined;
    this.inFlight = this.pending;
    this.pending = new Map();
    return this.inFlight;
  }

  /** A field's absolute value in Redis after a flush or a read. */
  confirm(field: string, redisValue: number): void {
    this.known.set(field, redisValue);
    this.setView(field, redisValue + (this.pending.get(field) ?? 0));
  }

  /** The flush reached Redis: in-flight increments are now in `known`. */
  settle(): void {
    this.inFlight = undefined;
  }

  /** The flush failed: its increments go back to pending (the view already counts them). */
  restore(
    accept: (field: string) => boolean,
    onDropped: (field: string, amount: number) => void,
  ): void {
    for (const [field, amount] of this.inFlight ?? []) {
      if (this.pending.has(field) || accept(field))
        this.pending.set(field, (this.pending.get(field) ?? 0) + amount);
      else {
        this.setView(field, this.get(field) - amount);
        onDropped(field, amount);
      }
    }
    this.inFlight = undefined;
  }

  private setView(field: string, value: number): void {
    this.view.set(field, value);
    if (field.startsWith('tpl:')) this.templates[field.slice(4)] = value;
  }
}
