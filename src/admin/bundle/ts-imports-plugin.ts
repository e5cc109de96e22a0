import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A rollup plugin resolving `./x.js` to `./x.tsx` or `./x.ts` when no `.js` file exists: the
 * components import each other with the `.js` suffixes TypeScript's NodeNext resolution requires.
 */
export function tsImportsPlugin() {
  return {
    name: 'ai-usage-ts-imports',
    resolveId(source: string, importer: string | undefined): string | null {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const base = path.resolve(path.dirname(importer), source.slice(0, -3));
      if (existsSync(`${base}.js`)) return null;
      for (const extension of ['.tsx', '.ts']) {
        if (existsSync(base + extension)) return base + extension;
      }
      return null;
    },
  };
}
