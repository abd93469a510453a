import { CodedError } from '../../lib/errors/CodedError.js';

/** Asset store errors; `code` is stable and reaches API clients and failed jobs. */
export class AssetStoreError extends CodedError {}

export class AssetNameError extends AssetStoreError {
  constructor(what: string, value: string) {
    super('ASSET_NAME_INVALID', `${what} ${JSON.stringify(value.slice(0, 80))} is not a valid asset ${what}`);
  }
}

export class AssetNotFoundError extends AssetStoreError {
  constructor(key: string, name?: string) {
    super('ASSET_NOT_FOUND', `asset ${key}${name ? `/${name}` : ''} not found`);
  }
}
