import type { ElderRecord } from '../../src/domain/contract/visits';
import { expectOk, startTestCloud, type TestCloud } from '../_test-support/host';
import { countRequests } from '../_test-support/request-count';
import { rid } from '../volunteer/fixtures';
import { aRegistration, aVisit, anElderDraft } from './fixtures';

/**
 * Database requests of logging an elder visit (what WeChat Cloud bills), counted at the local
 * transport, the router's caller lookup included. README's 探访 section quotes these numbers.
 */
const SECRETARY = 'secretary-requests';
const LI = 'volunteer-li';

let cloud: TestCloud;
let elder: ElderRecord;
beforeAll(async () => {
  cloud = startTestCloud({ env: { LINLI_SECRETARY_OPENIDS: SECRETARY } });
  expectOk(await cloud.call('volunteer', 'register', aRegistration('李四', '13800001111'), LI));
  elder = expectOk<ElderRecord>(
    await cloud.call(
      'visits',
      'saveElder',
      { clientRequestId: rid(), draft: anElderDraft() },
      SECRETARY,
    ),
  );
  expectOk(
    await cloud.call(
      'visits',
      'pair',
      { elderId: elder.id, openid: LI, clientRequestId: rid() },
      SECRETARY,
    ),
  );
});
afterAll(() => cloud.close());

const log = (visit: ReturnType<typeof aVisit>) =>
  countRequests(() => cloud.call('visits', 'log', visit, LI));

it('a visit log costs 17 requests, a later one too; its retry 4', async () => {
  const visit = aVisit(elder.id);
  const first = await log(visit);
  expect(first.result.ok).toBe(true);
  expect(first).toMatchObject({
    requests: 17,
    byKind: {
      getDocument: 9,
      startTransaction: 1,
      modifyDocument: 4,
      insertDocument: 2,
      commitTransaction: 1,
    },
  });
  const retry = await log(visit);
  expect(retry.result.ok).toBe(true);
  expect(retry).toMatchObject({ requests: 4, byKind: { getDocument: 4 } });
  const later = await log(aVisit(elder.id, {}, 30, 90));
  expect(later.result.ok).toBe(true);
  expect(later.requests).toBe(17);
});
