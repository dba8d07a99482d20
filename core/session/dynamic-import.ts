// import() of a module by URL (a package's plugin). The bundled CLI is compiled
// by its launcher through node:vm (for V8's code cache), where import() has no
// loader without experimental flags; the launcher hands the bundle its own
// import() as `__bpfsImport`. Run from the sources, import() is used directly.
declare const __bpfsImport: ((url: string) => Promise<unknown>) | undefined;

export function importModule(url: string): Promise<unknown> {
  return typeof __bpfsImport === 'function' ? __bpfsImport(url) : import(url);
}
