import type { PromptService } from './service.js';

/** Demo prompts of demo@example.com, generated through the instrumented client. */
export async function seedPrompts(service: PromptService, userId: number): Promise<void> {
  await service.generate(userId, { businessType: 'bakery', tone: 'warm', language: 'English', audience: 'local families' }, false);
  await service.generate(userId, { businessType: 'dental clinic', tone: 'reassuring', language: 'German', instructions: 'Never give medical diagnoses.' }, false);
}
