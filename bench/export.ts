import { build } from 'esbuild';
import { fork, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../src/runtime/config.js';
import { seedExportBenchLogs } from './export-data.js';
import { startBenchServer } from './support/bench-database.js';

/**
 * npm run bench:export [-- rows baselineRows]: 1,000,000 log rows through our streaming export as
 * CSV, XLSX and NDJSON, and 200,000 rows (the same data) through @adminjs/import-export's CSV
 * export, each over HTTP from a server process of its own (so each peak RSS is its own). Prints a
 * line per run, then one JSON line with every figure and the ratios.
 */
const ROWS = Number(process.argv[2] ?? process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const BASELINE_ROWS = Number(process.argv[3] ?? process.env.BENCH_EXPORT_BASELINE_ROWS ?? 200_000);
const FIELDS = 'id,userId,section,modelName,promptTokens,completionTokens,thoughtsTokens,cachedTokens,totalTokens,responseTimeMs,success,errorMessage,metadata,costUsd,createdAt';
const SERVER_SOURCE = fileURLToPath(new URL('./export-server.ts', import.meta.url));

/**
 * The server as plain JavaScript run by plain node: under tsx's loader the same modules take ~160 MB
 * more before a single row moves, which would measure tsx rather than the export. Our TypeScript
 * (src and this server) is transpiled file by file, keeping the tree, under node_modules/.cache,
 * so packages resolve from node_modules as in production and component paths still exist.
 */
async function buildServer(): Promise<{ file: string; remove(): Promise<void> }> {
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(path.join(cache, 'bench-export-'));
  const sources = (await readdir(path.join(PROJECT_ROOT, 'src'), { recursive: true }))
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(PROJECT_ROOT, 'src', file));
  await build({ entryPoints: [...sources, SERVER_SOURCE], outdir: dir, outbase: PROJECT_ROOT, platform: 'node', format: 'esm', target: 'node20', jsx: 'transform', logLevel: 'warning' });
  // CommonJS sources (user-reference.cjs, shared with the migrations) are imported as they are.
  for (const file of (await readdir(path.join(PROJECT_ROOT, 'src'), { recursive: true })).filter((name) => name.endsWith('.cjs'))) {
    await copyFile(path.join(PROJECT_ROOT, 'src', file), path.join(dir, 'src', file));
  }
  return { file: path.join(dir, 'bench', 'export-server.js'), remove: () => rm(dir, { recursive: true, force: true }) };
}

interface Run {
  label: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  /** RSS of the same server before the export: the panel's own weight (AdminJS alone is ~110 MB). */
  idleRssMb: number;
  bytes: number;
}

type Side = 'ours' | 'import-export';

/** The child's next IPC message; rejects if it exits first (a crash at start-up, say). */
function message<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server exited with ${code} before answering`));
    child.once('exit', onExit);
    child.once('message', (value) => {
      child.off('exit', onExit);
      resolve(value as T);
    });
  });
}

/** Reads a response to its end, counting bytes and line feeds, keeping nothing. */
async function drain(response: Response): Promise<{ bytes: number; lineFeeds: number }> {
  let bytes = 0;
  let lineFeeds = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lineFeeds };
    bytes += value.length;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lineFeeds += 1;
  }
}

async function run(server: string, label: string, side: Side, databaseUrl: string, format: string): Promise<Run> {
  // execArgv: [] so the child does not inherit tsx's loader from this process.
  const child = fork(server, [], { execArgv: [], cwd: process.cwd(), env: { ...process.env, BENCH_SIDE: side, BENCH_DATABASE_URL: databaseUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { port, idleRssKb } = await message<{ port: number; idleRssKb: number }>(child);
    const exportId = `bench-${format}`;
    const started = performance.now();
    let rows: number | undefined;
    let bytes: number;
    if (side === 'ours') {
      const response = await fetch(`http://127.0.0.1:${port}/admin/export/ai_usage_logs?format=${format}&fields=${FIELDS}&exportId=${exportId}`);
      if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} ${await response.text()}`);
      ({ bytes } = await drain(response));
    } else {
      const response = await fetch(`http://127.0.0.1:${port}/admin/api/resources/ai_usage_logs/actions/export?type=${format}`, { method: 'POST' });
      const text = await response.text();
      bytes = Buffer.byteLength(text);
      rows = ((JSON.parse(text) as { exportedData: string }).exportedData.match(/\n/g)?.length ?? 0);
    }
    const seconds = (performance.now() - started) / 1000;
    child.send({ report: exportId });
    const report = await message<{ maxRssKb: number; rows?: number }>(child);
    rows ??= report.rows ?? 0;
    return { label, rows, seconds, rowsPerSecond: rows / seconds, peakRssMb: report.maxRssKb / 1024, idleRssMb: idleRssKb / 1024, bytes };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function describe(result: Run): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  return `${result.label.padEnd(22)} ${n(result.rows).padStart(9)} rows  ${result.seconds.toFixed(1).padStart(6)} s  ${n(result.rowsPerSecond).padStart(8)} rows/s  peak RSS ${n(result.peakRssMb).padStart(4)} MB (idle ${n(result.idleRssMb)} MB)  ${n(result.bytes / 1048576)} MB out`;
}

async function main(): Promise<void> {
  const server = await startBenchServer();
  const child = await buildServer();
  const results: Run[] = [];
  try {
    const big = await server.createDatabase('export');
    const small = await server.createDatabase('export_base');
    try {
      console.log(`seeding ${ROWS.toLocaleString('en-US')} and ${BASELINE_ROWS.toLocaleString('en-US')} rows...`);
      await seedExportBenchLogs(big.sequelize, ROWS);
      await seedExportBenchLogs(small.sequelize, BASELINE_ROWS);
      for (const format of ['csv', 'xlsx', 'ndjson']) {
        results.push(await run(child.file, `ours ${format}`, 'ours', big.url, format));
        console.log(describe(results.at(-1)!));
      }
      results.push(await run(child.file, 'import-export csv', 'import-export', small.url, 'csv'));
      console.log(describe(results.at(-1)!));
    } finally {
      await big.drop();
      await small.drop();
    }
  } finally {
    await child.remove();
    await server.close();
  }
  const [csv, xlsx, ndjson, baseline] = results as [Run, Run, Run, Run];
  const figures = (r: Run) => ({ rows: r.rows, seconds: Number(r.seconds.toFixed(2)), rows_per_s: Math.round(r.rowsPerSecond), peak_rss_mb: Math.round(r.peakRssMb), idle_rss_mb: Math.round(r.idleRssMb) });
  console.log(
    JSON.stringify({
      ours_csv: figures(csv),
      ours_xlsx: figures(xlsx),
      ours_ndjson: figures(ndjson),
      import_export_csv: figures(baseline),
      csv_rows_per_s_ratio: Number((csv.rowsPerSecond / baseline.rowsPerSecond).toFixed(2)),
      csv_peak_rss_ratio_at_5x_rows: Number((baseline.peakRssMb / csv.peakRssMb).toFixed(2)),
      goal_csv_100k_rows_per_s: csv.rowsPerSecond >= 100_000,
      goal_peak_rss_under_200mb: { csv: csv.peakRssMb < 200, ndjson: ndjson.peakRssMb < 200, xlsx: xlsx.peakRssMb < 200 },
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
