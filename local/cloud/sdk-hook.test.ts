import fs from 'node:fs';
import path from 'node:path';

/**
 * The local cloud swaps the database transport through PRIVATE parts of the SDK stack
 * (local/cloud/transport.ts), and cloudfunctions/_shared/transact.ts relies on how errors cross
 * it. None of that is public API: this test fails loudly when a version bump moves any of it.
 * Resolution follows transport.ts: wx-server-sdk from the repo, @cloudbase/node-sdk from
 * wx-server-sdk's folder, @cloudbase/database from node-sdk's folder.
 */

/** The versions whose internals were read and verified. */
const VERIFIED = {
  'wx-server-sdk': '4.0.2',
  '@cloudbase/node-sdk': '3.17.2',
  '@cloudbase/database': '1.4.3',
};

const RECHECK = `
After a bump of wx-server-sdk / @cloudbase/node-sdk / @cloudbase/database, re-check by reading the installed files:
  1. @cloudbase/node-sdk dist/database/index.js: newDb() still assigns Db.reqClass (of the @cloudbase/database it requires)
     on every cloud.database() — local/cloud/transport.ts keeps its requester with an accessor on Db.reqClass;
  2. @cloudbase/node-sdk dist/utils/utils.js: processReturn(result) still throws E(result) carrying result.code
     — transport.ts raises local errors through it;
  3. @cloudbase/database dist/commonjs/transaction/index.js: runTransaction still calls the callback again only when
     error.code === 'DATABASE_TRANSACTION_CONFLICT', and Transaction still sends through new Db.reqClass(config);
  4. wx-server-sdk index.js: errors thrown by document get/set/update/remove (also inside a transaction callback) still go
     through maybeTransformError, which turns {code, message} into {errCode, errMsg} and drops the code (TCB_ERR_CODE has no
     DATABASE_TRANSACTION_CONFLICT, so it becomes -501001) — why the SDK's own retry never fires and
     cloudfunctions/_shared/transact.ts retries itself.
Then update VERIFIED in local/cloud/sdk-hook.test.ts.`;

function hook(ok: boolean, what: string): void {
  if (!ok) throw new Error(`SDK hook moved: ${what}\n${RECHECK}`);
}

const REPO = path.resolve(__dirname, '..', '..');
const sdkDir = path.dirname(require.resolve('wx-server-sdk/package.json', { paths: [REPO] }));
const nodeSdkDir = path.dirname(
  require.resolve('@cloudbase/node-sdk/package.json', { paths: [sdkDir] }),
);
const databaseDir = path.dirname(
  require.resolve('@cloudbase/database/package.json', { paths: [nodeSdkDir] }),
);

const read = (dir: string, file: string) => {
  const full = path.join(dir, file);
  hook(fs.existsSync(full), `${path.relative(REPO, full)} no longer exists`);
  return fs.readFileSync(full, 'utf8');
};
const versionOf = (dir: string) =>
  (JSON.parse(read(dir, 'package.json')) as { version: string }).version;
/** Source with whitespace runs collapsed, so reformatting alone does not fail the checks. */
const squash = (code: string) => code.replace(/\s+/g, ' ');

it('installed SDK versions are the ones whose internals were verified', () => {
  const installed = {
    'wx-server-sdk': versionOf(sdkDir),
    '@cloudbase/node-sdk': versionOf(nodeSdkDir),
    '@cloudbase/database': versionOf(databaseDir),
  };
  hook(
    JSON.stringify(installed) === JSON.stringify(VERIFIED),
    `installed ${JSON.stringify(installed)}, verified ${JSON.stringify(VERIFIED)}`,
  );
});

it('node-sdk assigns Db.reqClass of the @cloudbase/database it loads on every cloud.database()', () => {
  const code = squash(read(nodeSdkDir, 'dist/database/index.js'));
  const required = /const (\w+) = require\("@cloudbase\/database"\);/.exec(code);
  hook(
    required !== null,
    'node-sdk dist/database/index.js no longer requires "@cloudbase/database"',
  );
  const alias = (required as RegExpExecArray)[1];
  hook(
    new RegExp(`function newDb\\([^)]*\\) \\{ ${alias}\\.Db\\.reqClass = \\w+\\.\\w+;`).test(code),
    'node-sdk newDb() no longer starts by assigning Db.reqClass',
  );
  // And the class patched is the one exported by that copy of @cloudbase/database.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Db } = require(require.resolve('@cloudbase/database', { paths: [nodeSdkDir] })) as {
    Db?: unknown;
  };
  hook(typeof Db === 'function', '@cloudbase/database no longer exports the Db class');
});

it("node-sdk's processReturn throws an error carrying the result's code", () => {
  const code = squash(read(nodeSdkDir, 'dist/utils/utils.js'));
  hook(
    code.includes('exports.processReturn = processReturn;'),
    'node-sdk dist/utils/utils.js no longer exports processReturn',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const utils = require(path.join(nodeSdkDir, 'dist/utils/utils.js')) as {
    processReturn: (r: object) => unknown;
  };
  let thrown: unknown;
  try {
    utils.processReturn({
      code: 'DATABASE_TRANSACTION_CONFLICT',
      message: 'probe',
      requestId: 'r',
    });
  } catch (e) {
    thrown = e;
  }
  hook(
    typeof thrown === 'object' &&
      thrown !== null &&
      (thrown as { code?: unknown }).code === 'DATABASE_TRANSACTION_CONFLICT',
    'processReturn({code, message}) no longer throws an error with that code',
  );
});

it("@cloudbase/database's runTransaction retries only on error.code === DATABASE_TRANSACTION_CONFLICT", () => {
  const code = squash(read(databaseDir, 'dist/commonjs/transaction/index.js'));
  hook(
    code.includes('this._request = new index_1.Db.reqClass(this._db.config);'),
    'Transaction no longer sends through new Db.reqClass(config)',
  );
  const retries =
    code.match(/return await runTransaction\.bind\(this\)\(callback, --times\);/g) ?? [];
  hook(
    retries.length === 1,
    `runTransaction has ${retries.length} retry calls, expected exactly 1`,
  );
  hook(
    code.includes(
      'if (error && error.code === code_1.ERRORS.DATABASE_TRANSACTION_CONFLICT.code) { return await runTransaction.bind(this)(callback, --times); }',
    ),
    'runTransaction no longer retries exactly when error.code is the conflict code',
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ERRORS } = require(path.join(databaseDir, 'dist/commonjs/const/code.js')) as {
    ERRORS: Record<string, { code: string }>;
  };
  hook(
    ERRORS.DATABASE_TRANSACTION_CONFLICT?.code === 'DATABASE_TRANSACTION_CONFLICT',
    'ERRORS.DATABASE_TRANSACTION_CONFLICT.code changed',
  );
});

it('wx-server-sdk turns errors inside transaction callbacks into {errCode, errMsg} without the code', () => {
  const code = squash(read(sdkDir, 'index.js'));
  hook(
    code.includes(
      'function maybeTransformError(maybeTcbError) { if (maybeTcbError && maybeTcbError.code) { return { errCode: error_config_1.TCB_ERR_CODE[maybeTcbError.code] || error_config_1.TCB_ERR_CODE.SYS_ERR, errMsg: maybeTcbError.message, }; } return maybeTcbError; }',
    ),
    'maybeTransformError no longer maps {code, message} to {errCode, errMsg}',
  );
  for (const api of ['GET_API_NAME', 'SET_API_NAME', 'UPDATE_API_NAME', 'REMOVE_API_NAME']) {
    hook(
      code.includes(
        `reject(error_1.returnAsFinalCloudSDKError(error_checker_1.maybeTransformError(err), ${api}));`,
      ),
      `document ${api} no longer rejects with maybeTransformError(err)`,
    );
  }
  // The transaction wrapper hands the callback wx-server-sdk's own collection/document wrappers.
  hook(
    code.includes(
      'return new collection_1.CollectionReference(this._transaction.collection(collName), collName, this._db);',
    ),
    "wx-server-sdk's Transaction.collection no longer wraps the transaction's collection",
  );
  // No errCode for the conflict: it becomes SYS_ERR (-501001).
  const tcbCodes = /exports\.TCB_ERR_CODE = \{([^}]*)\}/g;
  const blocks = [...code.matchAll(tcbCodes)].map((m) => m[1]);
  hook(blocks.length > 0, 'TCB_ERR_CODE table not found');
  hook(
    blocks.every((b) => !b.includes('DATABASE_TRANSACTION_CONFLICT')),
    'TCB_ERR_CODE now maps DATABASE_TRANSACTION_CONFLICT',
  );
});
