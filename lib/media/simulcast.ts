/**
 * The simulcast layers the encoder sends a simulcast ingest (IngestEndpoint.simulcast): the
 * show's picture, and a low layer at half its width and height with a quarter of its bits.
 */
export function lowLayerSize({ width, height }: { width: number; height: number }): { width: number; height: number } {
  const half = (n: number) => Math.max(2, Math.round(n / 4) * 2);
  return { width: half(width), height: half(height) };
}

export function lowLayerBitrateKbps(videoBitrateKbps: number): number {
  return Math.max(1, Math.round(videoBitrateKbps / 4));
}
