import { CodedError } from '../../lib/errors/CodedError.js';

/** Audit log errors; `code` is stable and reaches API clients. */
export class AuditError extends CodedError {}

export class InvalidAuditRowError extends AuditError {
  constructor(message: string) {
    super('INVALID_AUDIT_ROW', message);
  }
}

export class InvalidAuditQueryError extends AuditError {
  constructor(message: string) {
    super('INVALID_AUDIT_QUERY', message);
  }
}

/** Redis did not answer a query. */
export class AuditUnavailableError extends AuditError {
  constructor(cause: unknown) {
    super('AUDIT_UNAVAILABLE', `the audit log is unavailable: ${String(cause)}`);
  }
}
