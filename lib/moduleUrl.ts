import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * URL of a sibling module. Sources run as `.ts` under tsx in development and as `.js`
 * from dist/ in production; the sibling has the caller's extension.
 */
export function siblingModuleUrl(importMetaUrl: string, baseName: string): URL {
  const extension = new URL(importMetaUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${extension}`, importMetaUrl);
}

/**
 * Starts a worker thread on a sibling module. A `.ts` module goes through a small entry
 * that registers tsx first: the tsx CLI's hooks do not reach worker threads.
 */
export function startSiblingWorker(importMetaUrl: string, baseName: string, options: WorkerOptions = {}): Worker {
  const url = siblingModuleUrl(importMetaUrl, baseName);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const entry = new URL('./tsWorkerEntry.mjs', import.meta.url);
  const workerData: unknown = { ...(options.workerData as object), tsEntry: url.href };
  return new Worker(entry, { ...options, workerData });
}
