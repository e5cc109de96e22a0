// adminjs exports its bundler at 'adminjs/bundler' without type declarations; these are the parts we use.
declare module 'adminjs/bundler' {
  import type AdminJS from 'adminjs';

  export interface BundlerOptions {
    input: string;
    plugins?: unknown[];
    [key: string]: unknown;
  }

  export class AssetBundler {
    constructor(input: BundlerOptions, output: Record<string, unknown>);
    inputOptions: BundlerOptions;
    outputOptions: Record<string, unknown> & { file: string };
    build(): Promise<void>;
  }

  export const componentsBundler: AssetBundler;
  export function generateUserComponentEntry(admin: AdminJS, entryPath: string): string;
  /** 'production' or 'development', read when adminjs was first imported. */
  export const NODE_ENV: string;
}
