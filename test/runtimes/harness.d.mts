// Types of harness.mjs for runtimes.test.ts.
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  ms?: number;
}
export interface SmokeResult {
  runtime?: string;
  ok?: boolean;
  checks?: Check[];
  backend?: unknown;
  consoleErrors?: string[];
  [k: string]: unknown;
}
export interface RuntimeRun {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
  result?: SmokeResult;
  ms: number;
}
export const ROOT: string;
export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export const RUNTIME_NAMES: string[];
export function runRuntime(name: string): Promise<RuntimeRun>;
export function format(r: RuntimeRun): string;
export function cleanup(): void;
export function chromiumMissing(): string | null;
export function serveStatic(root: string, options?: { isolated?: boolean }): Promise<{ url: string; close(): Promise<void> }>;
export function withChromium<T>(fn: (browser: import('playwright-core').Browser) => Promise<T>): Promise<T>;
export const TOOLS: string;
export const NODE_LINES: Record<'node22' | 'node24' | 'node-latest', string>;
export function ensureTools(): Promise<string | null>;
export function run(
  cmd: string,
  args: string[],
  options?: { cwd?: string; timeout?: number; env?: Record<string, string> },
): Promise<{ code: number | string; stdout: string; stderr: string; ms: number }>;
