// Types for server.mjs (plain JavaScript so that `npm run examples` needs no build step).
export declare const VENDOR_PACKAGES: readonly string[];

export interface ExamplesServer {
  port: number;
  /** `http://localhost:<port><path>`. */
  url(path?: string): string;
  close(): Promise<void>;
}

export declare function startExamplesServer(options?: { port?: number }): Promise<ExamplesServer>;
