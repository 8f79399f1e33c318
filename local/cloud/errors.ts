/**
 * Error codes the local database answers with. The names are CloudBase's; wx-server-sdk maps the
 * ones it knows to numeric `errCode`s (e.g. DATABASE_COLLECTION_NOT_EXIST → -502005) and the rest
 * to SYS_ERR (-501001) with our message in `errMsg`.
 */
export type DbErrorCode =
  | 'INVALID_PARAM'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_DUPLICATE_WRITE'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL';

/** A failure the transport reports to the SDK as `{code, message}`. */
export class LocalDbError extends Error {
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string) {
    super(message);
    this.name = 'LocalDbError';
    this.code = code;
  }
}

export function collectionNotExist(name: string): LocalDbError {
  return new LocalDbError(
    'DATABASE_COLLECTION_NOT_EXIST',
    `[ResourceNotFound] Db or Table not exist: ${name}. Declare it in cloudfunctions/database/indexes.json (or db.createCollection).`,
  );
}

/** Mirrors MongoDB's E11000 text so code matching on the message keeps working in production. */
export function duplicateKey(collection: string, index: string, key: string): LocalDbError {
  return new LocalDbError(
    'DATABASE_DUPLICATE_WRITE',
    `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}`,
  );
}
