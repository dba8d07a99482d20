// Test helper: Debian's Chromium (bin/setup installs it), headless, to see a
// page as a person would: a screenshot, or the DOM after its scripts ran.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  return spawnSync(CHROMIUM, ['--version']).status === 0;
}

/** Runs headless Chromium on `url` with `args` (its own profile folder, removed after); resolves with stdout. */
function headless(url: string, args: string[], timeoutMs: number): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'bpfscript-chromium-'));
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args, url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolve(out);
      else reject(new Error(`chromium exited with ${code}:\n${err}`));
    });
  });
}

/** A PNG screenshot of `url` at width x height into `png`. */
export async function screenshot(url: string, png: string, width: number, height: number, timeoutMs = 90_000): Promise<void> {
  await headless(url, [`--screenshot=${png}`, `--window-size=${width},${height}`], timeoutMs);
}

/** The DOM of `url` after its scripts ran, serialized. */
export function dumpDom(url: string, timeoutMs = 90_000): Promise<string> {
  return headless(url, ['--dump-dom'], timeoutMs);
}
