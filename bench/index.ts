// npm run bench: the figures against upstream bpftrace (upstream.ts; docs/performance.md).
// `npm run bench -- --all` also runs the component benchmarks (each runs alone too).
// bench/export-rss.ts (a run of minutes watched for growth) runs only alone.
await import('./upstream.ts');
if (process.argv.includes('--all')) {
  await import('./startup.ts');
  await import('./map-read.ts');
  await import('./map-print.ts');
  await import('./ringbuf.ts');
  await import('./btf.ts');
  await import('./dwarf.ts');
  await import('./export.ts');
}
