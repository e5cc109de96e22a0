/** p50 and p95 of a series of durations in ms (nearest rank), rounded to 0.1 ms. */
export function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(rank(0.5)), p95: round(rank(0.95)) };
}

/** Times `repeats` runs of `run` after `warmup` untimed ones; a failed run fails the benchmark. */
export async function time(run: () => Promise<void>, repeats: number, warmup = 2): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** GETs a panel URL with the session cookie; anything but a 200 JSON answer is an error. */
export function panelGet(baseUrl: string, cookie: string) {
  return async (path: string): Promise<any> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
    return response.json();
  };
}
