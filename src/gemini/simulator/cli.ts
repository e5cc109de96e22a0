/**
 * `npm run simulator`: the Gemini simulator alone, for pointing any Gemini client at it.
 * GEMINI_SIMULATOR_PORT (default 8790), GEMINI_SIMULATOR_HOST (default 127.0.0.1),
 * GEMINI_API_KEY: the key it accepts (default `simulator-key`).
 */
import { startGeminiSimulator } from './server.js';

const port = Number(process.env.GEMINI_SIMULATOR_PORT ?? 8790);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`gemini simulator: GEMINI_SIMULATOR_PORT must be a port number, got ${process.env.GEMINI_SIMULATOR_PORT}`);
  process.exit(1);
}
const simulator = await startGeminiSimulator({
  port,
  host: process.env.GEMINI_SIMULATOR_HOST || '127.0.0.1',
  apiKey: process.env.GEMINI_API_KEY || undefined,
});
console.log(`Gemini simulator listening on ${simulator.url} (v1 and v1beta)`);
console.log(`Point clients at it: GEMINI_BASE_URL=${simulator.url} GEMINI_API_KEY=${simulator.apiKey}`);
console.log('Prompt markers: [[sim:429]] [[sim:500]] [[sim:latency=1500]] [[sim:malformed]] [[sim:disconnect]] [[sim:bad-json]] [[sim:blocked]] [[sim:safety]] [[sim:cached=512]]');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('gemini simulator: could not close cleanly', error);
        process.exit(1);
      },
    );
  });
}
