/** The REST methods the simulator serves. */
export type SimulatorOperation = 'generateContent' | 'streamGenerateContent' | 'countTokens' | 'embedContent' | 'batchEmbedContents';

/** One misbehaviour the simulator can be told to show. */
export type SimulatorFault =
  /** 429 RESOURCE_EXHAUSTED with a RetryInfo detail asking to wait `retryDelaySeconds` (default 1). */
  | { kind: '429'; retryDelaySeconds?: number }
  /** 500 INTERNAL. */
  | { kind: '500' }
  /** Any other error status, with Google's error body. */
  | { kind: 'status'; status: number; message?: string }
  /** Wait `ms` before answering normally (or before another fault from a marker). */
  | { kind: 'latency'; ms: number }
  /** Wait `chunkDelayMs` between stream chunks. */
  | { kind: 'slow-stream'; chunkDelayMs: number }
  /** 200 with a body that is not valid JSON (a stream: a chunk that is not). */
  | { kind: 'malformed' }
  /** Drop the connection: before any answer, or after `afterChunks` stream chunks (default 1). */
  | { kind: 'disconnect'; afterChunks?: number }
  /** The prompt is blocked: promptFeedback.blockReason (default SAFETY), no candidates. */
  | { kind: 'blocked'; reason?: string }
  /** The candidate stops with finishReason SAFETY and no text. */
  | { kind: 'safety' }
  /** JSON output mode answers with malformed JSON text (the HTTP body itself is fine). */
  | { kind: 'bad-json' };

/** A queued fault and which requests it applies to; it is used `times` times (default 1), then dropped. */
export type FaultRule = SimulatorFault & {
  /** Only requests for this model (with or without the `models/` prefix). */
  model?: string;
  operation?: SimulatorOperation;
  /** Only requests whose text contains this. */
  promptIncludes?: string;
  times?: number;
};

/** What one request will experience. */
export interface RequestPlan {
  delayMs: number;
  chunkDelayMs: number;
  /** Extra cached-content tokens asked for with `[[sim:cached=N]]`. */
  cachedTokens?: number;
  fault?: Exclude<SimulatorFault, { kind: 'latency' } | { kind: 'slow-stream' }>;
}

export interface RequestFacts {
  operation: SimulatorOperation;
  model: string;
  text: string;
}

const MARKER = /\[\[sim:([a-z0-9-]+)(?:=([0-9.]+))?(?:\*(\d+))?\]\]/g;

/**
 * Faults for one simulator instance: a queue of rules set by tests, plus prompt markers such as
 * `[[sim:429]]`, `[[sim:latency=1500]]` or `[[sim:500*2]]` (only the first two requests with this
 * exact text fail). Markers apply to generation and embedding, never to countTokens.
 */
export class FaultBook {
  private readonly rules: FaultRule[] = [];
  private readonly markerHits = new Map<string, number>();

  /** Queues rules; each request consumes the first rule that matches it. */
  push(...rules: FaultRule[]): void {
    this.rules.push(...rules.map((rule) => ({ ...rule })));
  }

  /** Forgets queued rules and marker counters. */
  clear(): void {
    this.rules.length = 0;
    this.markerHits.clear();
  }

  /** Rules not consumed yet. */
  pending(): readonly FaultRule[] {
    return [...this.rules];
  }

  plan(request: RequestFacts, defaults: { chunkDelayMs: number }): RequestPlan {
    const plan: RequestPlan = { delayMs: 0, chunkDelayMs: defaults.chunkDelayMs };
    const queued = this.take(request);
    if (queued) apply(plan, queued);
    if (request.operation !== 'countTokens') {
      for (const fault of this.markers(request.text)) apply(plan, fault);
    }
    return plan;
  }

  private take(request: RequestFacts): SimulatorFault | undefined {
    const index = this.rules.findIndex((rule) => matches(rule, request));
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    const remaining = (rule.times ?? 1) - 1;
    if (remaining > 0) rule.times = remaining;
    else this.rules.splice(index, 1);
    return rule;
  }

  private markers(text: string): (SimulatorFault | { kind: 'cached'; tokens: number })[] {
    const faults: (SimulatorFault | { kind: 'cached'; tokens: number })[] = [];
    for (const [marker, name, value, times] of text.matchAll(MARKER)) {
      if (times !== undefined) {
        const key = `${marker}\u0000${text}`;
        const hits = (this.markerHits.get(key) ?? 0) + 1;
        this.markerHits.set(key, hits);
        if (hits > Number(times)) continue;
      }
      const fault = markerFault(name!, value === undefined ? undefined : Number(value));
      if (fault) faults.push(fault);
    }
    return faults;
  }
}

function markerFault(name: string, value: number | undefined): SimulatorFault | { kind: 'cached'; tokens: number } | undefined {
  switch (name) {
    case '429':
      return { kind: '429', retryDelaySeconds: value };
    case '500':
      return { kind: '500' };
    case 'status':
      return value === undefined ? undefined : { kind: 'status', status: value };
    case 'latency':
      return { kind: 'latency', ms: value ?? 1000 };
    case 'chunk-delay':
      return { kind: 'slow-stream', chunkDelayMs: value ?? 100 };
    case 'malformed':
      return { kind: 'malformed' };
    case 'disconnect':
      return { kind: 'disconnect', afterChunks: value };
    case 'blocked':
      return { kind: 'blocked' };
    case 'safety':
      return { kind: 'safety' };
    case 'bad-json':
      return { kind: 'bad-json' };
    case 'cached':
      return { kind: 'cached', tokens: value ?? 1024 };
    default:
      return undefined;
  }
}

function matches(rule: FaultRule, request: RequestFacts): boolean {
  if (rule.operation && rule.operation !== request.operation) return false;
  if (rule.model && rule.model.replace(/^models\//, '') !== request.model) return false;
  if (rule.promptIncludes !== undefined && !request.text.includes(rule.promptIncludes)) return false;
  return true;
}

function apply(plan: RequestPlan, fault: SimulatorFault | { kind: 'cached'; tokens: number }): void {
  if (fault.kind === 'latency') plan.delayMs += fault.ms;
  else if (fault.kind === 'slow-stream') plan.chunkDelayMs = fault.chunkDelayMs;
  else if (fault.kind === 'cached') plan.cachedTokens = fault.tokens;
  else plan.fault ??= fault;
}
