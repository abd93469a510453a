import { InvalidViewerDataError } from './errors.js';

/** Viewer, show, poll and template ids become parts of Redis keys and index members (space-separated). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const TEMPLATE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkId(value: string, what: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw new InvalidViewerDataError(`${what} must be 1-64 of A-Z a-z 0-9 _ -`);
  return value;
}

export function checkTemplateId(value: string): string {
  if (typeof value !== 'string' || !TEMPLATE_ID.test(value) || value === '__proto__') throw new InvalidViewerDataError('templateId must be 1-64 of A-Z a-z 0-9 . _ -');
  return value;
}

/** Topics and poll answers: short single-line labels. */
export function checkLabel(value: string, what: string, maxChars: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars || CONTROL.test(value)) {
    throw new InvalidViewerDataError(`${what} must be 1-${maxChars} characters without control characters`);
  }
  return value;
}
