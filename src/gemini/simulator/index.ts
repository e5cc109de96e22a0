export { startGeminiSimulator, type GeminiSimulator, type GeminiSimulatorOptions, type SimulatedRequest } from './server.js';
export { FaultBook, type FaultRule, type SimulatorFault, type SimulatorOperation } from './faults.js';
export { CACHED_CONTENT_TOKENS } from './answer.js';
export { EMBEDDING_DIMENSIONS } from './bodies.js';
