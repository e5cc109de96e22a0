import type { CoreModels } from '../../src/core/models/index.js';
import type { PromptService } from './service.js';

/** Demo prompts of demo@example.com, generated through the instrumented client. */
export async function seedPrompts(service: PromptService, core: CoreModels): Promise<void> {
  const demo = await core.User.findOne({ where: { email: 'demo@example.com' } });
  if (!demo) return;
  await service.generate(demo.id, { businessType: 'bakery', tone: 'warm', language: 'English', audience: 'local families' }, false);
  await service.generate(demo.id, { businessType: 'dental clinic', tone: 'reassuring', language: 'German', instructions: 'Never give medical diagnoses.' }, false);
}
