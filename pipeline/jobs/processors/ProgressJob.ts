/** The part of a BullMQ job (in-process or sandboxed) that processors use. */
export interface ProgressJob {
  id?: string;
  data: unknown;
  updateProgress(progress: number): Promise<void>;
}
