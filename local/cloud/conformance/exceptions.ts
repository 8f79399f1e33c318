/**
 * The one list of conformance cases where the local cloud does not behave as production, and why.
 *
 * Each entry is used by exactly one case (`kase(source, body, {exception: id, local})`): that case's
 * production assertions must fail locally and its `local` assertions must pass, so an entry that
 * starts matching production breaks the suite. README.md's section「本地云不复现的行为」lists every
 * id (checked by exceptions.test.ts).
 */
import { nodeSdk, wxRef } from './sources';

export interface ConformanceException {
  /** Stable id, also written in README.md. */
  id: string;
  /** The case's source (same string as the case's name). */
  source: string;
  /** What production does, per the source. */
  production: string;
  /** What the local cloud does instead. */
  local: string;
  /** Why we keep the difference. */
  reason: string;
}

export const EXCEPTIONS: ConformanceException[] = [
  {
    id: 'elemMatch-chained-command',
    source: `${wxRef('command/Command.elemMatch')} › 数组元素都是普通数据类型的情况`,
    production: 'scores: _.elemMatch(_.gt(80).lt(100)) matches documents with a score in (80, 100)',
    local:
      'wx-server-sdk 4.0.2 sends the chained command unserialised ({operator, operands, fieldName}); the local store compares it as a literal and matches nothing',
    reason:
      "The SDK's bytes are what production receives too; how the server reads that shape is unknown, so we do not guess. Write _.elemMatch({$gt: 80, $lt: 100}), which is serialised and matches locally.",
  },
  {
    id: 'updateAndReturn-same-value',
    source: nodeSdk('index.test.ts', 'test/index.test.ts › 验证findAndModify 更新相同值'),
    production: 'updateAndReturn() writing the values a document already holds answers updated: 1',
    local:
      'updated: 0 (engine.modify counts changed documents, as MongoDB nModified, for merge updates)',
    reason:
      "The fix belongs in index.ts's modifyAndReturnDoc branch (report the matched document as findAndModify does), which this change does not own; updateAndReturn is not part of wx-server-sdk's public API.",
  },
  {
    id: 'tx-where-query',
    source: nodeSdk('unit/transaction.test.ts', 'transaction › 事务内批量插入 条件查询'),
    production:
      "CloudBase's newer server answers transaction.collection(c).where(…).get() inside a transaction (2 documents, its own uncommitted inserts)",
    local: 'where() reads inside a transaction are refused (single-document operations only)',
    reason:
      "WeChat's transaction guide (developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/database/transaction.html, 单记录操作) says transactions support no batch operations (where), only collection.doc and collection.add; the local cloud enforces what WeChat documents so code stays portable.",
  },
  {
    id: 'tx-where-query-1000',
    source: nodeSdk('unit/transaction.test.ts', 'transaction › 事务内批量插入1000条文档'),
    production:
      'a where().limit(1000).get() inside a transaction returns 1000 of its 1001 uncommitted inserts',
    local: 'the insert of 1001 documents works; the where() read is refused',
    reason: 'Same rule as tx-where-query: WeChat documents no where() inside transactions.',
  },
  {
    id: 'tx-update-and-return',
    source: nodeSdk('unit/transaction.test.ts', 'transaction › modifyAndReturnDoc'),
    production:
      "node-sdk's where().updateAndReturn() inside a transaction updates and returns the document",
    local: 'refused: updateAndReturn is not available in transactions',
    reason:
      "Not part of wx-server-sdk's API (reached only through its wrapped node-sdk query) and a where() operation, which WeChat documents as unsupported in transactions.",
  },
  {
    id: 'all-elemMatch-commands',
    source: `${wxRef('command/Command.all')} › 示例代码 2：对象数组`,
    production:
      'places: _.all([_.elemMatch({area: _.gt(100), age: _.lt(2)}), _.elemMatch({type: "mall", age: _.gt(5)})]) matches documents with one element meeting each condition',
    local:
      'wx-server-sdk 4.0.2 sends the _.gt / _.lt inside all([elemMatch]) unserialised ({operator, operands}); the local store compares them as literals and matches nothing',
    reason:
      'Same SDK serialisation gap as elemMatch-chained-command; we do not guess how the server reads it. Written with operator objects ({area: {$gt: 100}}) the query is serialised and matches locally.',
  },
];
