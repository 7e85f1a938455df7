// Paths to fixture files, relative to this file: the MXNet 1.9.1 fixtures (test/fixtures/mxnet) and the
// public MXNet-written files (test/fixtures/public-params, provenance and licence in its README).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function mxnetFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/mxnet/${name}`, import.meta.url))));
}

export function mxnetJson<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/mxnet/${name}`, import.meta.url)), 'utf8')) as T;
}

export function publicParams(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/public-params/${name}`, import.meta.url))));
}

export interface BinFileInfo {
  written_by: string;
  bytes: number;
  sha256: string;
  loaded: { type: 'dict' | 'list'; keys: string[] | null; shapes: number[][]; dtypes?: string[] };
  arrays?: { shape: number[]; data: number[] }[];
  as_float32?: Record<string, { shape: number[]; data: number[] }> | { shape: number[]; data: number[] }[];
  exact?: Record<string, unknown>;
}

export function binFiles(): Record<string, BinFileInfo> {
  return mxnetJson<{ files: Record<string, BinFileInfo> }>('bin_files.json').files;
}
