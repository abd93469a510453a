import { EventEmitter } from 'node:events';

type Events = Record<string, unknown[]>;

/**
 * A typed EventEmitter. `safeEmit` isolates listeners: one that throws is logged
 * and the fan-out carries on, so a bad subscriber cannot break the media path.
 */
export class EnhancedEventEmitter<E extends Events = Events> extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(Infinity);
  }

  override emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return super.emit(event, ...args);
  }

  safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    let any = false;
    for (const listener of this.rawListeners(event) as ((...a: E[K]) => void)[]) {
      any = true;
      try {
        listener.apply(this, args);
      } catch (error) {
        process.emitWarning(`listener for "${event}" threw: ${String(error)}`);
      }
    }
    return any;
  }

  override on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }

  override off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}
