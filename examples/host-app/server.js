import { createHostApp } from './app.js';

// GEMINI_API_KEY unset: calls go to the ledger's built-in Gemini simulator.
const host = await createHostApp({ databaseUrl: process.env.DATABASE_URL });
const port = Number(process.env.PORT ?? 4000);
host.app.listen(port, '127.0.0.1', () => console.log(`host app on http://127.0.0.1:${port} (panel /admin: owner@host.example / host-password)`));
