import { REQUEST_ID_PATTERN } from '@/domain/shared/request-id';
import { createRequestIds, newRequestId } from './request-ids';

describe('request ids per intent', () => {
  it('makes ids of the one contract shape', () => {
    for (let i = 0; i < 50; i++) expect(newRequestId()).toMatch(REQUEST_ID_PATTERN);
  });

  it('reuses the id while the answer is unknown (network), and makes a new one once answered', () => {
    const ids = createRequestIds();
    const first = ids.idFor('saveElder:new:{"name":"赵奶奶"}');
    ids.settle('saveElder:new:{"name":"赵奶奶"}', 'NETWORK');
    expect(ids.idFor('saveElder:new:{"name":"赵奶奶"}')).toBe(first);
    ids.settle('saveElder:new:{"name":"赵奶奶"}', 'INVALID_INPUT');
    const second = ids.idFor('saveElder:new:{"name":"赵奶奶"}');
    expect(second).not.toBe(first);
    ids.settle('saveElder:new:{"name":"赵奶奶"}');
    expect(ids.idFor('saveElder:new:{"name":"赵奶奶"}')).not.toBe(second);
  });

  it('gives a changed form its own id', () => {
    const ids = createRequestIds();
    expect(ids.idFor('saveList:new:{"title":"A"}')).not.toBe(
      ids.idFor('saveList:new:{"title":"B"}'),
    );
  });
});
