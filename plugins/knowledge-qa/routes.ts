import { Router } from 'express';
import { aiFailure, apiUserOf, HttpError, route } from '../../src/plugin-routes.js';
import type { QAPairAttributes, WebsitePageAttributes } from './models.js';
import { PageFetchError, type FetchPolicy } from './page-fetcher.js';
import { resolvePageSource, type PageInput } from './page-input.js';
import { QAOutputError } from './qa-schema.js';
import { GenerationFailedError, PageNotFoundError, type KnowledgeService } from './service.js';

const pageJson = (page: WebsitePageAttributes, pairs: QAPairAttributes[] = []) => ({
  id: page.id,
  url: page.url,
  title: page.title,
  content_length: page.contentLength,
  status: page.status,
  failure_reason: page.failureReason,
  generated_at: page.generatedAt,
  pairs: pairs.map((p) => ({ id: p.id, question: p.question, answer: p.answer, embedding_dimensions: p.embedding?.length ?? 0 })),
});

function pageId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, 'page not found');
  return id;
}

/** A failed generation: malformed model output is 502 with the parse error, an AI error keeps its status. */
function generationError(error: unknown): never {
  if (error instanceof PageNotFoundError) throw new HttpError(404, 'page not found');
  if (!(error instanceof GenerationFailedError)) throw error;
  const details = { page_id: error.page.id, status: 'failed' };
  if (error.cause instanceof QAOutputError) throw new HttpError(502, `the AI answer was not usable: ${error.reason}`, details);
  const failure = aiFailure(error.cause);
  if (failure.body) throw new HttpError(failure.status, failure.message, undefined, { error: { ...(failure.body as { error: object }).error, ...details } });
  throw new HttpError(failure.status, failure.message, { ...(failure.details as object), ...details });
}

/** /api/knowledge: pages turned into Q&A pairs with embeddings. */
export function knowledgeRoutes(service: KnowledgeService, fetchPolicy: FetchPolicy): Router {
  const router = Router();

  router.post('/knowledge/pages', route(async (req, res) => {
    const user = apiUserOf(req);
    const input = (req.body ?? {}) as PageInput;
    const source = await resolvePageSource(input, fetchPolicy).catch(async (error) => {
      if (!(error instanceof PageFetchError)) throw error;
      const page = await service.recordFetchFailure(user.id, String(input.url), error.message);
      throw new HttpError(422, error.message, { page_id: page.id, status: 'failed' });
    });
    const { page, pairs } = await service.add(user.id, source).catch(generationError);
    res.status(201).json(pageJson(page, pairs));
  }));

  router.get('/knowledge/pages/:id', route(async (req, res) => {
    const { page, pairs } = await service.get(pageId(req.params.id), apiUserOf(req).id).catch(generationError);
    res.json(pageJson(page, pairs));
  }));

  router.post('/knowledge/pages/:id/regenerate', route(async (req, res) => {
    const { page, pairs } = await service.regenerate(pageId(req.params.id), apiUserOf(req).id).catch(generationError);
    res.json(pageJson(page, pairs));
  }));

  return router;
}
