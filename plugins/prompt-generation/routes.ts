import { Router } from 'express';
import { aiFailure, apiUserOf, HttpError, route, stringField } from '../../src/plugin-routes.js';
import type { PromptRequest } from './instruction.js';
import type { PromptGenerationAttributes } from './models.js';
import { GenerationNotFoundError, type PromptService } from './service.js';

function promptRequest(body: unknown): PromptRequest {
  return {
    businessType: stringField(body, 'business_type', { max: 120 })!,
    tone: stringField(body, 'tone', { max: 60, required: false }) ?? 'friendly and professional',
    language: stringField(body, 'language', { max: 60, required: false }) ?? 'English',
    audience: stringField(body, 'audience', { max: 200, required: false }),
    instructions: stringField(body, 'instructions', { max: 2000, required: false }),
  };
}

function asyncFlag(value: unknown): boolean {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw new HttpError(400, 'async must be true or false');
}

const generationJson = (g: PromptGenerationAttributes) => ({
  id: g.id,
  status: g.status,
  async: g.isAsync,
  job_id: g.jobId,
  prompt: g.output,
  error: g.errorMessage,
  attempts: g.attempts,
  input: { business_type: g.businessType, tone: g.tone, language: g.language, audience: g.audience, instructions: g.instructions },
  created_at: g.createdAt,
  updated_at: g.updatedAt,
});

/** /api/prompts: system prompt generation, now or as a background job. */
export function promptRoutes(service: PromptService): Router {
  const router = Router();

  router.post('/prompts/generate', route(async (req, res) => {
    const user = apiUserOf(req);
    const request = promptRequest(req.body);
    const async = asyncFlag(req.query.async);
    if (async) {
      const generation = await service.generate(user.id, request, true);
      res.status(202).json({ ...generationJson(generation), status_url: `/api/prompts/jobs/${generation.jobId}` });
      return;
    }
    const generation = await service.generate(user.id, request, false).catch((error) => {
      throw aiFailure(error);
    });
    res.status(201).json(generationJson(generation));
  }));

  router.get('/prompts/jobs/:id', route(async (req, res) => {
    const user = apiUserOf(req);
    const { generation, queue } = await service.job(req.params.id ?? '', user.id).catch((error) => {
      throw error instanceof GenerationNotFoundError ? new HttpError(404, 'job not found') : error;
    });
    res.json({ ...generationJson(generation), queue_state: queue?.state ?? null, retry_count: queue?.retryCount ?? null });
  }));

  return router;
}
