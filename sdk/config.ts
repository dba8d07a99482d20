/** Settings a session runs with (command line + environment + `config = {}`). */
export interface RuntimeConfig {
  maxStrlen: number;
  maxMapKeys: number;
  missingProbes: 'error' | 'warn' | 'ignore';
  printMapsOnExit: boolean;
  strTruncTrailer: string;
  /** Ring buffer size in bytes (power of two). */
  ringbufSize: number;
}

export const defaultConfig: RuntimeConfig = {
  maxStrlen: 64,
  maxMapKeys: 4096,
  missingProbes: 'error',
  printMapsOnExit: true,
  strTruncTrailer: '..',
  // 16 MiB: room for ~400k small events between two 10 ms drains.
  ringbufSize: 1 << 24,
};
