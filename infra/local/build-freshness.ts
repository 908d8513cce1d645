/**
 * Decides whether the production build in .next is older than the sources, from a fingerprint
 * of file sizes and modification times (fast: no file contents are read).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCE_ROOTS = ['app', 'server', 'db', 'public', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];

function walk(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const stats = statSync(entry);
  if (stats.isDirectory()) {
    for (const child of readdirSync(entry).sort()) walk(path.join(entry, child), out);
  } else {
    out.push(`${entry}:${stats.size}:${stats.mtimeMs}`);
  }
}

export function sourceFingerprint(root: string): string {
  const lines: string[] = [];
  for (const entry of SOURCE_ROOTS) walk(path.join(root, entry), lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

const stampFile = (root: string) => path.join(root, '.next', 'causeway-source-fingerprint');

export function buildIsCurrent(root: string): boolean {
  const stamp = stampFile(root);
  return existsSync(path.join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceFingerprint(root);
}

export function markBuildCurrent(root: string): void {
  writeFileSync(stampFile(root), sourceFingerprint(root));
}
