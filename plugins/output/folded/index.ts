// The folded-stacks room: maps keyed by stacks as folded stacks (`-f folded`)
// and as an interactive SVG flame graph (`--flamegraph FILE.svg`).
export { FoldedOutputFormat, foldedOutputPlugin } from './format.ts';
export { foldedKey, foldSnapshot, formatFolded, stackFrames, type FoldedStack, type FoldedKey } from './stacks.ts';
export { flameGraphSvg, frameColor, escapeXml, type FlameGraphOptions } from './svg.ts';
export { flameGraphPlugin, sessionStacks } from './flamegraph.ts';
