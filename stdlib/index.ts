// The standard library's door: where the .bt files are, which file defines
// which macro, and the reference docs written in them.
export { StandardLibrary, stdlibRoot, scanMacroNames, type StdlibFile } from './loader.ts';
export { parseStdlibDocs, parseBuiltinDoc, type StdlibDoc } from './docs.ts';
