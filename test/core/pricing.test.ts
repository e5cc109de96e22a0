import { createPriceTable, DEFAULT_PRICES } from '../../src/core/pricing.js';

const at = new Date('2026-11-01T12:00:00Z');
const usage = (promptTokens: number, completionTokens = 0, thoughtsTokens = 0, cachedTokens = 0) => ({ promptTokens, completionTokens, thoughtsTokens, cachedTokens });

describe('createPriceTable', () => {
  const prices = createPriceTable();

  it('bills uncached input, cached input and output (thinking included) at their rates, exactly', () => {
    // pro: 1,000 uncached x 1.25 + 500 cached x 0.125 + (200 + 300 thinking) x 10, per 1M tokens
    expect(prices.costUsd('gemini-2.5-pro', usage(1_500, 200, 300, 500), at)).toBe('0.006312500000');
  });

  it('bills the whole request of gemini-2.5-pro at the long-context rates above 200k prompt tokens', () => {
    expect(prices.costUsd('gemini-2.5-pro', usage(200_000, 1_000), at)).toBe('0.260000000000'); // 200k x 1.25 + 1k x 10
    expect(prices.costUsd('gemini-2.5-pro', usage(200_001, 1_000), at)).toBe('0.515002500000'); // 200,001 x 2.50 + 1k x 15
  });

  it('knows every model of the default table, the models/ prefix included, and nothing else', () => {
    for (const { model } of DEFAULT_PRICES) expect(prices.costUsd(`models/${model}`, usage(10), at)).not.toBeNull();
    expect(prices.costUsd('gemini-9-ultra', usage(10), at)).toBeNull();
  });

  it('uses the price in force on the day of the call, and the earliest for older calls', () => {
    const dated = createPriceTable([{ model: 'gemini-2.5-flash', effectiveFrom: '2026-12-01', inputPerMillion: 0.5, outputPerMillion: 3, cachedInputPerMillion: 0.05 }]);
    expect(dated.costUsd('gemini-2.5-flash', usage(1_000_000), new Date('2026-11-30T23:59:59Z'))).toBe('0.300000000000');
    expect(dated.costUsd('gemini-2.5-flash', usage(1_000_000), new Date('2026-12-01T00:00:00Z'))).toBe('0.500000000000');
    expect(dated.costUsd('gemini-2.5-flash', usage(1_000_000), new Date('2020-01-01T00:00:00Z'))).toBe('0.300000000000');
  });

  it('lets configuration replace a default price or add a model', () => {
    const custom = createPriceTable([
      { model: 'gemini-2.5-flash', effectiveFrom: '2025-06-17', inputPerMillion: 0.35, outputPerMillion: 2.5, cachedInputPerMillion: 0.03 },
      { model: 'my-tuned-model', effectiveFrom: '2026-01-01', inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0 },
    ]);
    expect(custom.costUsd('gemini-2.5-flash', usage(1_000_000), at)).toBe('0.350000000000');
    expect(custom.costUsd('my-tuned-model', usage(1_000, 1_000), at)).toBe('0.003000000000');
  });

  it('refuses malformed prices at startup', () => {
    expect(() => createPriceTable([{ model: 'x', effectiveFrom: 'soon', inputPerMillion: 1, outputPerMillion: 1, cachedInputPerMillion: 1 }])).toThrow('effectiveFrom (YYYY-MM-DD)');
    expect(() => createPriceTable([{ model: 'x', effectiveFrom: '2026-01-01', inputPerMillion: -1, outputPerMillion: 1, cachedInputPerMillion: 1 }])).toThrow('non-negative USD amount');
    expect(() => createPriceTable([{ model: 'x', effectiveFrom: '2026-01-01', inputPerMillion: 0.0000001, outputPerMillion: 1, cachedInputPerMillion: 1 }])).toThrow('at most 6 decimals');
  });
});
