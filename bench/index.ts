// Runs every benchmark in sequence (npm run bench). Each file also runs alone.
await import('./startup.ts');
await import('./map-read.ts');
await import('./ringbuf.ts');
await import('./btf.ts');
await import('./dwarf.ts');
await import('./export.ts');
