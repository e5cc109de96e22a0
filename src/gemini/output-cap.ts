import type { GenerationConfig } from '@google/generative-ai';

/**
 * A generation config that caps what a call may write: its answer and its thinking. Budgets hold a
 * call's worst case before it is sent (call-bounds.ts); without a cap that is the model's whole
 * output and thinking range (98,304 tokens on 2.5 Pro), more than a small quota can ever hold.
 * (@google/generative-ai's types predate thinkingConfig; the REST API takes it.)
 */
export function outputCap(maxOutputTokens: number, thinkingBudget: number): GenerationConfig {
  return { maxOutputTokens, thinkingConfig: { thinkingBudget } } as GenerationConfig;
}
