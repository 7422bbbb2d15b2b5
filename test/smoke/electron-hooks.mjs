// module.register resolve hook: `electron` (and `electron/*`) resolve to the smoke stub, from
// the built bundle and from node_modules (electron-store) alike. Everything else is untouched.
const stubUrl = new URL('./electron-stub.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier.startsWith('electron/'))
    return { url: stubUrl, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
