// The folded-stacks room: maps keyed by stacks as folded stacks (`-f folded`)
// and as an interactive SVG flame graph (`--flamegraph FILE.svg`), rewritten
// on each print() and at the end.
export { FoldedOutputFormat, foldedOutputPlugin } from './format.ts';
export { foldedKey, foldSnapshot, formatFolded, stackFrames, type FoldedStack, type FoldedKey } from './stacks.ts';
export { flameGraphSvg, frameColor, escapeXml, type FlameGraphOptions } from './svg.ts';
export { flameGraphPlugin, foldableMaps } from './flamegraph.ts';
export { FlameGraphFile, type FoldableMap } from './flame-graph-file.ts';
