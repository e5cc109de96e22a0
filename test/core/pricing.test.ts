import { costInPico, findOverlap, formatPico, PriceSnapshot, PriceValidationError, validatePrice, type BillableUsage, type ModelPrice } from '../../src/core/index.js';

let nextId = 1;
/** A price row as ai_model_prices returns it (rates as decimal strings). */
const price = (overrides: Partial<ModelPrice> = {}): ModelPrice => ({
  id: nextId++, model: 'gemini-2.5-pro', tier: 'standard', effectiveFrom: '2025-06-17', effectiveTo: null,
  inputPerMillion: '1.250000', outputPerMillion: '10.000000', cachedInputPerMillion: '0.125000',
  audioInputPerMillion: null, cachedAudioInputPerMillion: null, audioOutputPerMillion: null, imageOutputPerMillion: null,
  longContextThresholdTokens: 200_000, longInputPerMillion: '2.500000', longOutputPerMillion: '15.000000', longCachedInputPerMillion: '0.250000',
  groundingPerThousand: '35.000000', groundingUnit: 'grounded_prompt',
  ...overrides,
});
const flash = (overrides: Partial<ModelPrice> = {}) => price({
  model: 'gemini-2.5-flash', inputPerMillion: '0.3', outputPerMillion: '2.5', cachedInputPerMillion: '0.03', audioInputPerMillion: '1', cachedAudioInputPerMillion: '0.1',
  longContextThresholdTokens: null, longInputPerMillion: null, longOutputPerMillion: null, longCachedInputPerMillion: null, ...overrides,
});
const usage = (overrides: Partial<BillableUsage> = {}): BillableUsage => ({
  promptTokens: 0, cachedTokens: 0, completionTokens: 0, thoughtsTokens: 0, toolUsePromptTokens: 0, groundingQueries: 0, usageDetails: null, ...overrides,
});
const usd = (p: ModelPrice, u: BillableUsage) => formatPico(costInPico(p, u));

describe('costInPico', () => {
  it('bills uncached input, cached input and output (thinking included) at their rates, exactly', () => {
    // 1,000 uncached x 1.25 + 500 cached x 0.125 + (200 + 300 thinking) x 10, per 1M tokens
    expect(usd(price(), usage({ promptTokens: 1_500, cachedTokens: 500, completionTokens: 200, thoughtsTokens: 300 }))).toBe('0.006312500000');
  });

  it('bills the whole request at the long-context rates when prompt plus tool-use input exceeds the threshold', () => {
    expect(usd(price(), usage({ promptTokens: 200_000, completionTokens: 1_000 }))).toBe('0.260000000000');
    expect(usd(price(), usage({ promptTokens: 200_001, completionTokens: 1_000 }))).toBe('0.515002500000');
    expect(usd(price(), usage({ promptTokens: 199_990, toolUsePromptTokens: 11 }))).toBe('0.500002500000'); // 200,001 x 2.50
  });

  it('bills tool-use prompt tokens as input, and audio at the audio rates', () => {
    // text: (400 prompt - 0) + 100 tool use = 500 x 0.30; audio 600 x 1.00; output 50 x 2.50
    const details = { prompt: { TEXT: 400, AUDIO: 600 } };
    expect(usd(flash(), usage({ promptTokens: 1_000, toolUsePromptTokens: 100, completionTokens: 50, usageDetails: details }))).toBe('0.000875000000');
    // cached 300 of which 200 audio: 200 x 0.10 + 100 x 0.03; uncached audio 400 x 1.00; uncached text 300 x 0.30
    const cached = { prompt: { TEXT: 400, AUDIO: 600 }, cache: { AUDIO: 200, TEXT: 100 } };
    expect(usd(flash(), usage({ promptTokens: 1_000, cachedTokens: 300, usageDetails: cached }))).toBe('0.000513000000');
  });

  it('bills audio and image output at their own rates when the model has them', () => {
    const tts = flash({ audioOutputPerMillion: '10', outputPerMillion: '2.5' });
    expect(usd(tts, usage({ completionTokens: 1_000, usageDetails: { candidates: { AUDIO: 800, TEXT: 200 } } }))).toBe('0.008500000000');
    const image = flash({ imageOutputPerMillion: '30' });
    expect(usd(image, usage({ completionTokens: 1_290, usageDetails: { candidates: { IMAGE: 1_290 } } }))).toBe('0.038700000000');
  });

  it('never lets modality details add tokens: a detail above its total is capped', () => {
    expect(usd(flash(), usage({ promptTokens: 100, usageDetails: { prompt: { AUDIO: 5_000 } } }))).toBe('0.000100000000');
  });

  it('bills grounding per grounded prompt or per search query, by the price', () => {
    const perPrompt = usd(flash({ groundingPerThousand: '35', groundingUnit: 'grounded_prompt' }), usage({ groundingQueries: 3 }));
    expect(perPrompt).toBe('0.035000000000');
    const perQuery = usd(flash({ groundingPerThousand: '14', groundingUnit: 'search_query' }), usage({ groundingQueries: 3 }));
    expect(perQuery).toBe('0.042000000000');
    expect(usd(flash(), usage({ groundingQueries: 0 }))).toBe('0.000000000000');
  });
});

describe('PriceSnapshot', () => {
  const rows = [
    flash({ effectiveFrom: '2025-06-17', effectiveTo: '2026-12-01' }),
    flash({ effectiveFrom: '2026-12-01', inputPerMillion: '0.5' }),
    flash({ tier: 'flex', effectiveFrom: '2026-04-01', inputPerMillion: '0.15' }),
    price({ model: 'gemini-1.5-pro', effectiveFrom: '2024-10-01', effectiveTo: '2025-09-24' }),
  ];
  const snapshot = new PriceSnapshot(rows);
  const million = usage({ promptTokens: 1_000_000 });

  it('uses the price of the tier in force on the UTC day of the call', () => {
    expect(snapshot.quote('gemini-2.5-flash', 'standard', new Date('2026-11-30T23:59:59Z'), million)).toEqual({ status: 'priced', costUsd: '0.300000000000', priceId: rows[0]!.id });
    expect(snapshot.quote('gemini-2.5-flash', 'standard', new Date('2026-12-01T00:00:00Z'), million)).toMatchObject({ costUsd: '0.500000000000', priceId: rows[1]!.id });
    expect(snapshot.quote('gemini-2.5-flash', 'flex', new Date('2026-11-01T00:00:00Z'), million)).toMatchObject({ costUsd: '0.150000000000', priceId: rows[2]!.id });
  });

  it('leaves a request unpriced (cost null) for an unknown model, a tier without a price, before the first price and after the last ended', () => {
    const unpriced = { status: 'unpriced', costUsd: null, priceId: null };
    expect(snapshot.quote('gemini-9-ultra', 'standard', new Date('2026-11-01'), million)).toEqual(unpriced);
    expect(snapshot.quote('gemini-2.5-flash', 'priority', new Date('2026-11-01'), million)).toEqual(unpriced);
    expect(snapshot.quote('gemini-2.5-flash', 'flex', new Date('2026-03-31T23:59:59Z'), million)).toEqual(unpriced);
    expect(snapshot.quote('gemini-1.5-pro', 'standard', new Date('2025-09-24T00:00:00Z'), million)).toEqual(unpriced);
    expect(snapshot.quote('gemini-1.5-pro', 'standard', new Date('2025-09-23T23:59:59Z'), million)).toMatchObject({ status: 'priced' });
  });
});

describe('validatePrice', () => {
  const valid = { model: 'models/my-model', effectiveFrom: '2026-01-01', inputPerMillion: 1, outputPerMillion: '2.5', cachedInputPerMillion: 0.1 };
  const refusal = (input: Record<string, unknown>) => {
    try {
      validatePrice(input);
    } catch (error) {
      expect(error).toBeInstanceOf(PriceValidationError);
      return (error as PriceValidationError).fieldErrors;
    }
    throw new Error('expected a refusal');
  };

  it('returns a canonical price: model without models/, standard tier, rates as decimal strings', () => {
    expect(validatePrice(valid)).toMatchObject({ model: 'my-model', tier: 'standard', inputPerMillion: '1', outputPerMillion: '2.5', cachedInputPerMillion: '0.1', effectiveTo: null, audioInputPerMillion: null });
  });

  it('refuses negative, non-numeric and over-precise rates, an unknown tier and bad dates, naming each field', () => {
    expect(refusal({ ...valid, inputPerMillion: -1 })).toEqual({ inputPerMillion: 'must not be negative, got -1' });
    expect(refusal({ ...valid, outputPerMillion: 'cheap', audioInputPerMillion: '1,5' })).toEqual({
      outputPerMillion: 'must be a number, got "cheap"', audioInputPerMillion: 'must be a number, got "1,5"',
    });
    expect(refusal({ ...valid, cachedInputPerMillion: 0.0000001 })).toEqual({ cachedInputPerMillion: 'must have at most 6 decimals, got 1e-7' });
    expect(refusal({ ...valid, tier: 'turbo' })).toEqual({ tier: '"turbo" is not a known tier (standard, flex, batch, priority)' });
    expect(refusal({ ...valid, effectiveFrom: '2026-02-30' })).toEqual({ effectiveFrom: 'must be a date YYYY-MM-DD, got "2026-02-30"' });
    expect(refusal({ ...valid, effectiveTo: '2025-12-31' })).toEqual({ effectiveTo: '2025-12-31 must be after effectiveFrom 2026-01-01' });
    expect(refusal({ ...valid, longContextThresholdTokens: 200_000 })).toMatchObject({ longInputPerMillion: 'is required with the other long-context fields' });
    expect(refusal({ ...valid, groundingPerThousand: 14 })).toEqual({ groundingUnit: 'is required with the other grounding field' });
  });
});

describe('findOverlap', () => {
  const dated = (effectiveFrom: string, effectiveTo: string | null = null, tier = 'standard') => ({ model: 'm', tier, effectiveFrom, effectiveTo });

  it('accepts successive prices, open-ended ones included, and the same dates on another tier', () => {
    expect(findOverlap([dated('2025-01-01'), dated('2026-01-01'), dated('2025-01-01', null, 'batch')])).toBeUndefined();
    expect(findOverlap([dated('2025-01-01', '2026-01-01'), dated('2026-01-01')])).toBeUndefined();
  });

  it('refuses two prices from the same day and a closed period running into the next price', () => {
    expect(findOverlap([dated('2025-01-01'), dated('2025-01-01')])).toBe('m (standard) already has a price from 2025-01-01');
    expect(findOverlap([dated('2025-01-01', '2026-02-01'), dated('2026-01-01')])).toBe('m (standard): the price from 2025-01-01 to 2026-02-01 overlaps the price from 2026-01-01');
  });
});
