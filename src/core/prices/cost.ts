import { picoPerToken, picoPerUnit } from './money.js';
import type { BillableUsage, ModalityCounts, ModelPrice } from './types.js';

const modality = (counts: ModalityCounts | undefined, name: string): number => counts?.[name] ?? 0;
const min = (a: number, b: number) => (a < b ? a : b);

/** Token counts split the way prices are: uncached / cached input by modality, output by modality. */
interface BilledTokens {
  input: number;
  audioInput: number;
  cachedInput: number;
  cachedAudioInput: number;
  output: number;
  audioOutput: number;
  imageOutput: number;
}

/**
 * Splits a request's tokens by what they cost. Gemini's promptTokenCount includes cached tokens and
 * excludes tool-use tokens; thinking is billed as output. The modality details only move tokens
 * between rates, never add any: a detail larger than its total is capped at the total.
 */
export function billedTokens(usage: BillableUsage): BilledTokens {
  const details = usage.usageDetails ?? {};
  const cachedAudioInput = min(modality(details.cache, 'AUDIO'), usage.cachedTokens);
  const uncached = usage.promptTokens - usage.cachedTokens + usage.toolUsePromptTokens;
  const uncachedAudio = Math.max(0, modality(details.prompt, 'AUDIO') - modality(details.cache, 'AUDIO')) + modality(details.toolUse, 'AUDIO');
  const audioInput = min(uncachedAudio, uncached);
  const allOutput = usage.completionTokens + usage.thoughtsTokens;
  const audioOutput = min(modality(details.candidates, 'AUDIO'), allOutput);
  const imageOutput = min(modality(details.candidates, 'IMAGE'), allOutput - audioOutput);
  return {
    input: uncached - audioInput,
    audioInput,
    cachedInput: usage.cachedTokens - cachedAudioInput,
    cachedAudioInput,
    output: allOutput - audioOutput - imageOutput,
    audioOutput,
    imageOutput,
  };
}

/** Grounding units billed: one per grounded prompt, or one per search query, by the model's price. */
export function groundingUnits(price: ModelPrice, usage: BillableUsage): number {
  if (!price.groundingUnit || usage.groundingQueries === 0) return 0;
  return price.groundingUnit === 'grounded_prompt' ? 1 : usage.groundingQueries;
}

/** The exact cost of `usage` at `price`, in pico-dollars. */
export function costInPico(price: ModelPrice, usage: BillableUsage): bigint {
  const long = price.longContextThresholdTokens !== null && usage.promptTokens + usage.toolUsePromptTokens > price.longContextThresholdTokens;
  const input = picoPerToken((long && price.longInputPerMillion) || price.inputPerMillion);
  const cached = picoPerToken((long && price.longCachedInputPerMillion) || price.cachedInputPerMillion);
  const output = picoPerToken((long && price.longOutputPerMillion) || price.outputPerMillion);
  const rate = (specific: string | null, fallback: bigint) => (specific === null ? fallback : picoPerToken(specific));
  const tokens = billedTokens(usage);
  const grounding = price.groundingPerThousand === null ? 0n : BigInt(groundingUnits(price, usage)) * picoPerUnit(price.groundingPerThousand);
  return (
    BigInt(tokens.input) * input +
    BigInt(tokens.audioInput) * rate(price.audioInputPerMillion, input) +
    BigInt(tokens.cachedInput) * cached +
    BigInt(tokens.cachedAudioInput) * rate(price.cachedAudioInputPerMillion, cached) +
    BigInt(tokens.output) * output +
    BigInt(tokens.audioOutput) * rate(price.audioOutputPerMillion, output) +
    BigInt(tokens.imageOutput) * rate(price.imageOutputPerMillion, output) +
    grounding
  );
}
