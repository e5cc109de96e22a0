import type { Sequelize } from 'sequelize';
import { outputCap, type GenerateContentResult, type GeminiFactory, type ResponseSchema } from '../../src/gemini/index.js';
import type { KnowledgeModels, QAPairAttributes, WebsitePageAttributes } from './models.js';
import type { PageSource } from './page-input.js';
import { parseQAPairs, QA_RESPONSE_SCHEMA, type QAPair } from './qa-schema.js';
import type { UserId } from '../../src/core/index.js';

/** What one page's Q&A pairs may take to write (a few dozen pairs): keeps the call's budget hold small. */
const QA_CAP = outputCap(8_192, 2_048);

export interface KnowledgeServiceOptions {
  sequelize: Sequelize;
  models: KnowledgeModels;
  gemini: GeminiFactory;
  /** Model the Q&A pairs are written with (section knowledge_qa). */
  qaModel: string;
  /** Model of the pairs' embeddings (section embedding_generation). */
  embeddingModel: string;
}

export class PageNotFoundError extends Error {
  override name = 'PageNotFoundError';
}

/** Generation failed; the page is stored as failed with `reason`, and `cause` is what failed. */
export class GenerationFailedError extends Error {
  override name = 'GenerationFailedError';
  constructor(
    readonly page: WebsitePageAttributes,
    readonly reason: string,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

function qaInstruction(page: PageSource): string {
  return [
    'From the web page below, write the questions its visitors most likely ask, each with an answer taken only from the page.',
    'Return a JSON array of 3 to 10 objects {"question": string, "answer": string}, nothing else.',
    `Title: ${page.title}`,
    `Page text:\n${page.content}`,
  ].join('\n\n');
}

export function createKnowledgeService(options: KnowledgeServiceOptions) {
  const { sequelize, gemini } = options;
  const { WebsitePage, QAPair } = options.models;

  const metadataOf = (page: WebsitePageAttributes) => ({ page_id: page.id, page_title: page.title, content_length: page.contentLength });

  /** Asks for Q&A pairs as JSON; output that does not validate is a tracked failure (validateResult). */
  async function generatePairs(page: WebsitePageAttributes): Promise<QAPair[]> {
    let pairs: QAPair[] = [];
    const model = gemini.model({
      model: options.qaModel,
      userId: page.userId,
      section: 'knowledge_qa',
      metadata: metadataOf(page),
      generationConfig: { ...QA_CAP, responseMimeType: 'application/json', responseSchema: QA_RESPONSE_SCHEMA as unknown as ResponseSchema },
      validateResult: (result) => {
        pairs = parseQAPairs((result as GenerateContentResult).response.text());
      },
    });
    await model.generateContent(qaInstruction(page));
    return pairs;
  }

  async function embed(page: WebsitePageAttributes, pairs: QAPair[]): Promise<number[][]> {
    const model = gemini.model({ model: options.embeddingModel, userId: page.userId, section: 'embedding_generation', metadata: { ...metadataOf(page), pairs: pairs.length } });
    const { embeddings } = await model.batchEmbedContents({
      requests: pairs.map((pair) => ({ content: { role: 'user', parts: [{ text: `${pair.question}\n${pair.answer}` }] } })),
    });
    if (embeddings.length !== pairs.length) throw new Error(`expected ${pairs.length} embeddings, got ${embeddings.length}`);
    return embeddings.map((e) => e.values);
  }

  /**
   * Generates and embeds the page's pairs, then replaces the old ones in one transaction. Any
   * failure leaves the previous pairs as they were and marks the page failed with the reason.
   */
  async function generate(page: WebsitePageAttributes): Promise<{ page: WebsitePageAttributes; pairs: QAPairAttributes[] }> {
    let pairs: QAPair[];
    let vectors: number[][];
    try {
      pairs = await generatePairs(page);
      vectors = await embed(page, pairs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await page.update({ status: 'failed', failureReason: reason });
      throw new GenerationFailedError(page, reason, error);
    }
    return sequelize.transaction(async (transaction) => {
      await QAPair.destroy({ where: { pageId: page.id }, transaction });
      const saved = await QAPair.bulkCreate(
        pairs.map((pair, position) => ({ pageId: page.id, position, ...pair, embedding: vectors[position]!, embeddingModel: options.embeddingModel })),
        { transaction, returning: true },
      );
      await page.update({ status: 'ready', failureReason: null, generatedAt: new Date() }, { transaction });
      return { page, pairs: saved };
    });
  }

  return {
    /** Stores the page, then generates its pairs (a failed generation keeps the page, marked failed). */
    async add(userId: UserId, source: PageSource) {
      const page = await WebsitePage.create({ userId, url: source.url, title: source.title, content: source.content, contentLength: source.content.length });
      return generate(page);
    },

    /** Keeps a page that could not be fetched, failed with the reason, so it shows in the panel. */
    async recordFetchFailure(userId: UserId, url: string, reason: string): Promise<WebsitePageAttributes> {
      return WebsitePage.create({ userId, url, title: url, content: '', contentLength: 0, status: 'failed', failureReason: reason });
    },

    async regenerate(pageId: number, userId?: UserId) {
      const page = await WebsitePage.findOne({ where: userId === undefined ? { id: pageId } : { id: pageId, userId } });
      if (!page) throw new PageNotFoundError(`page ${pageId} not found`);
      return generate(page);
    },

    async get(pageId: number, userId: UserId) {
      const page = await WebsitePage.findOne({ where: { id: pageId, userId } });
      if (!page) throw new PageNotFoundError(`page ${pageId} not found`);
      return { page, pairs: await QAPair.findAll({ where: { pageId }, order: [['position', 'ASC']] }) };
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
