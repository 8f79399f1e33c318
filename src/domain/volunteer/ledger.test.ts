import {
  EMPTY_SUMMARY,
  type LedgerAmounts,
  CODE_PATTERN,
  adjustmentRefusal,
  mayReadLedger,
  rewardRefusal,
  applyEntry,
  formatHours,
  ledgerKey,
  normaliseCode,
  redemptionCode,
  redemptionRefusal,
  summarize,
} from './ledger';

const entry = (type: LedgerAmounts['type'], points = 0, minutes = 0): LedgerAmounts => ({
  type,
  points,
  minutes,
});

describe('ledger arithmetic', () => {
  it('derives points from points, redeem and adjust entries only', () => {
    const s = summarize([
      entry('claim'),
      entry('service', 0, 120),
      entry('confirm', 0, 120),
      entry('points', 20),
      entry('adjust', 5),
      entry('redeem', -15),
      entry('withdraw'),
    ]);
    expect(s).toEqual({
      points: 10,
      earned: 25,
      spent: 15,
      confirmedMinutes: 120,
      confirmedServices: 1,
    });
  });

  it('counts only confirmed minutes as hours', () => {
    expect(summarize([entry('service', 0, 90)]).confirmedMinutes).toBe(0);
    expect(summarize([entry('confirm', 0, 90), entry('confirm', 0, 30)]).confirmedMinutes).toBe(
      120,
    );
  });

  it('ignores points written on entries that do not move points', () => {
    expect(summarize([entry('claim', 99), entry('confirm', 7, 60)]).points).toBe(0);
  });

  it('is a fold: applying entries one by one equals summarising them', () => {
    const entries = [
      entry('points', 10),
      entry('redeem', -4),
      entry('adjust', -1),
      entry('confirm', 0, 60),
    ];
    const stepwise = entries.reduce(applyEntry, EMPTY_SUMMARY);
    expect(stepwise).toEqual(summarize(entries));
    expect(summarize([])).toEqual(EMPTY_SUMMARY);
  });

  it('counts negative adjustments against the balance but not as earned', () => {
    expect(summarize([entry('points', 10), entry('adjust', -3)])).toMatchObject({
      points: 7,
      earned: 10,
      spent: 0,
    });
  });

  it('never lets a redemption or adjustment take the balance below zero', () => {
    expect(redemptionRefusal(10, 10)).toBeNull();
    expect(redemptionRefusal(9, 10)).toBe('INSUFFICIENT_POINTS');
    expect(adjustmentRefusal(5, -5)).toBeNull();
    expect(adjustmentRefusal(5, -6)).toBe('NEGATIVE_BALANCE');
    expect(adjustmentRefusal(0, 3)).toBeNull();
  });

  it('formats hours with one decimal', () => {
    expect(formatHours(90)).toBe('1.5');
    expect(formatHours(120)).toBe('2');
    expect(formatHours(0)).toBe('0');
  });

  it('keys entries by kind, caller and request', () => {
    expect(ledgerKey('claim', 'o1', 'req-12345')).toBe('claim:o1:req-12345');
    expect(ledgerKey('confirm', 'o1', 'req-12345', 'c1')).toBe('confirm:o1:req-12345:c1');
  });
});

describe('redemption codes', () => {
  it('are 8 characters from the unambiguous alphabet', () => {
    const code = redemptionCode([0, 1, 2, 3, 250, 251, 252, 255]);
    expect(code).toMatch(CODE_PATTERN);
    expect(code).not.toMatch(/[01OIL]/);
  });
  it('need enough random bytes', () => {
    expect(() => redemptionCode([1, 2, 3])).toThrow();
  });
  it('normalise what staff type', () => {
    expect(normaliseCode(' abcd-efgh ')).toBe('ABCDEFGH');
  });
});

describe('rewardRefusal and mayReadLedger', () => {
  it('redeems an active reward in stock (null: unlimited)', () => {
    expect(rewardRefusal(null)).toBe('REWARD_NOT_FOUND');
    expect(rewardRefusal({ active: false, stock: 3 })).toBe('REWARD_NOT_FOUND');
    expect(rewardRefusal({ active: true, stock: 0 })).toBe('OUT_OF_STOCK');
    expect(rewardRefusal({ active: true, stock: 1 })).toBeNull();
    expect(rewardRefusal({ active: true, stock: null })).toBeNull();
  });

  it('lets a volunteer read their own ledger and the secretary anyone’s', () => {
    expect(mayReadLedger('v1', { openid: 'v1', role: 'volunteer' })).toBe(true);
    expect(mayReadLedger('v1', { openid: 'v2', role: 'volunteer' })).toBe(false);
    expect(mayReadLedger('v1', { openid: 's', role: 'secretary' })).toBe(true);
  });
});
