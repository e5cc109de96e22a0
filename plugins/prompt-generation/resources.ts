import type { ActionRequest, ComponentLoader, CurrentAdmin, ResourceWithOptions } from 'adminjs';
import { fileURLToPath } from 'node:url';
import type { PromptRequest } from './instruction.js';
import type { PromptGenerationModel } from './models.js';
import type { PromptService } from './service.js';

const INPUTS = ['businessType', 'tone', 'language', 'audience', 'instructions'];

function text(payload: Record<string, unknown> | undefined, field: string, max: number): string | null {
  const value = payload?.[field];
  if (typeof value !== 'string' || !value.trim()) return null;
  if (value.length > max) throw new Error(`${field} must be at most ${max} characters`);
  return value.trim();
}

function promptRequest(payload: Record<string, unknown> | undefined): PromptRequest {
  const businessType = text(payload, 'businessType', 120);
  if (!businessType) throw new Error('Business type is required');
  return {
    businessType,
    tone: text(payload, 'tone', 60) ?? 'friendly and professional',
    language: text(payload, 'language', 60) ?? 'English',
    audience: text(payload, 'audience', 200),
    instructions: text(payload, 'instructions', 2000),
  };
}

/**
 * Prompt generations in the panel, with a "Generate prompt" action that generates for the
 * signed-in admin, tracked like an API call. Generations are a record of what happened: no edit.
 */
export function promptResources(PromptGeneration: PromptGenerationModel, service: PromptService, componentLoader: ComponentLoader): ResourceWithOptions[] {
  const component = componentLoader.add('PromptGenerationGenerate', fileURLToPath(new URL('./components/generate-prompt', import.meta.url)));
  return [
    {
      resource: PromptGeneration,
      options: {
        id: 'prompt_generations',
        navigation: { name: 'Prompt generation', icon: 'Edit' },
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: ['businessType', 'tone', 'language', 'status', 'isAsync', 'userId', 'createdAt'],
        showProperties: [...INPUTS, 'status', 'output', 'errorMessage', 'isAsync', 'jobId', 'attempts', 'userId', 'createdAt'],
        properties: { output: { type: 'textarea' }, instructions: { type: 'textarea' }, errorMessage: { type: 'textarea' } },
        translations: { en: { labels: { prompt_generations: 'Prompt generations' }, actions: { generatePrompt: 'Generate prompt' } } },
        actions: {
          new: { isAccessible: false },
          edit: { isAccessible: false },
          generatePrompt: {
            actionType: 'resource',
            icon: 'Zap',
            component,
            handler: async (request: ActionRequest, _response: unknown, context: { currentAdmin?: CurrentAdmin }) => {
              if (request.method !== 'post') return {};
              try {
                const generation = await service.generate(Number(context.currentAdmin?.id), promptRequest(request.payload), false);
                return { result: { id: generation.id, prompt: generation.output }, notice: { message: 'Prompt generated', type: 'success' } };
              } catch (error) {
                return { result: { error: (error as Error).message }, notice: { message: (error as Error).message, type: 'error' } };
              }
            },
          },
        },
      },
    },
  ];
}
