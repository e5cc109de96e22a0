import type { ComponentLoader, ResourceWithOptions } from 'adminjs';
import { confirmedRecordAction } from '../../src/plugin.js';
import type { KnowledgeModels } from './models.js';
import type { KnowledgeService } from './service.js';

const navigation = { name: 'Knowledge Q&A', icon: 'BookOpen' };

/** Pages and their pairs in the panel, with a Regenerate action on each page (tracked like the API). */
export function knowledgeResources(models: KnowledgeModels, service: KnowledgeService, componentLoader: ComponentLoader): ResourceWithOptions[] {
  return [
    {
      resource: models.WebsitePage,
      options: {
        id: 'knowledge_pages',
        navigation,
        sort: { sortBy: 'createdAt', direction: 'desc' },
        listProperties: ['title', 'url', 'status', 'contentLength', 'userId', 'generatedAt'],
        showProperties: ['title', 'url', 'status', 'failureReason', 'contentLength', 'userId', 'generatedAt', 'createdAt', 'content'],
        properties: { content: { type: 'textarea' }, failureReason: { type: 'textarea' } },
        translations: { en: { labels: { knowledge_pages: 'Knowledge pages' }, actions: { regenerate: 'Regenerate' } } },
        actions: {
          new: { isAccessible: false },
          edit: { isAccessible: false },
          regenerate: confirmedRecordAction(componentLoader, {
            icon: 'RefreshCw',
            confirm: 'Generate new Q&A pairs for this page? The current pairs are replaced when it succeeds.',
            run: async (record) => {
              try {
                const { pairs } = await service.regenerate(Number(record.id()));
                return { message: `Generated ${pairs.length} Q&A pairs`, type: 'success' };
              } catch (error) {
                return { message: `Regeneration failed: ${(error as Error).message}`, type: 'error' };
              }
            },
          }),
        },
      },
    },
    {
      resource: models.QAPair,
      options: {
        id: 'knowledge_qa_pairs',
        navigation,
        sort: { sortBy: 'pageId', direction: 'desc' },
        listProperties: ['pageId', 'position', 'question', 'embeddingModel'],
        properties: { embedding: { isVisible: false }, answer: { type: 'textarea' }, pageId: { reference: 'knowledge_pages' } },
        translations: { en: { labels: { knowledge_qa_pairs: 'Knowledge Q&A pairs' }, properties: { pageId: 'Page' } } },
        actions: { new: { isAccessible: false } },
      },
    },
  ];
}
