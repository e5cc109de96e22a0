import { describeFailure } from '../../src/gemini/failure.js';
import { outputCap, type GeminiFactory } from '../../src/gemini/index.js';
import type { JobQueue, JobStatus } from '../../src/jobs/job-queue.js';
import { buildPromptInstruction, type PromptRequest } from './instruction.js';
import type { PromptGenerationAttributes, PromptGenerationModel } from './models.js';
import type { UserId } from '../../src/core/index.js';

/** What one generated prompt may take to write: keeps the call's budget hold small. */
const PROMPT_CAP = outputCap(4_096, 1_024);

export const PROMPT_JOB = 'prompt-generation';

export interface PromptServiceOptions {
  PromptGeneration: PromptGenerationModel;
  gemini: GeminiFactory;
  jobs: JobQueue;
  /** Model the prompts are written with (section prompt_generation). */
  model: string;
}

export class GenerationNotFoundError extends Error {
  override name = 'GenerationNotFoundError';
}

export function createPromptService(options: PromptServiceOptions) {
  const { PromptGeneration, gemini, jobs } = options;

  /** Generates the prompt of a stored request; a failure is stored on it, tracked by the instrumentation and rethrown. */
  async function run(generation: PromptGenerationAttributes): Promise<PromptGenerationAttributes> {
    await generation.update({ status: 'running', attempts: generation.attempts + 1 });
    const model = gemini.model({
      model: options.model,
      userId: generation.userId,
      section: 'prompt_generation',
      metadata: {
        generation_id: generation.id,
        business_type: generation.businessType,
        tone: generation.tone,
        language: generation.language,
        async: generation.isAsync,
        ...(generation.jobId ? { job_id: generation.jobId } : {}),
      },
      generationConfig: PROMPT_CAP,
    });
    try {
      const result = await model.generateContent(buildPromptInstruction(generation));
      return await generation.update({ status: 'completed', output: result.response.text().trim(), errorMessage: null });
    } catch (error) {
      await generation.update({ status: 'failed', errorMessage: describeFailure(error).message });
      throw error;
    }
  }

  return {
    run,

    /** Stores the request and generates now, or enqueues a job when `async`. */
    async generate(userId: UserId, request: PromptRequest, async: boolean): Promise<PromptGenerationAttributes> {
      const generation = await PromptGeneration.create({ ...request, userId, status: async ? 'queued' : 'running', isAsync: async });
      if (!async) return run(generation);
      const jobId = await jobs.send(PROMPT_JOB, { generationId: generation.id });
      return generation.update({ jobId });
    },

    /** The job's generation (the caller's own) and pg-boss's view of the job. */
    async job(jobId: string, userId: UserId): Promise<{ generation: PromptGenerationAttributes; queue: JobStatus | null }> {
      const generation = await PromptGeneration.findOne({ where: { jobId, userId } });
      if (!generation) throw new GenerationNotFoundError(`job ${jobId} not found`);
      return { generation, queue: await jobs.status(PROMPT_JOB, jobId) };
    },

    /** pg-boss handler: a throw fails the attempt and pg-boss retries it per the queue's retry settings. */
    async handleJob(data: { generationId: string }): Promise<{ generation_id: string; status: string }> {
      const generation = await PromptGeneration.findByPk(data.generationId);
      if (!generation) throw new GenerationNotFoundError(`generation ${data.generationId} not found`);
      const done = await run(generation);
      return { generation_id: done.id, status: done.status };
    },
  };
}

export type PromptService = ReturnType<typeof createPromptService>;
