// V8's code cache for the bundled CLI (dist/bin/*.cjs). Node 20 has no module.enableCompileCache()
// (Node 22 does): compiling the chunks `refunds today` loads costs about a sixth of its start-up.
// `npm run build` runs the read commands once against the fixtures (scripts/code-cache.cjs) and
// keeps, per chunk, the bytecode V8 compiled for it; a later start reads it instead of compiling.
// A cache file is named by the size and modification time of the chunk it was made from (every
// build writes dist/bin afresh, rolldown empties it first), so a chunk that changed finds none and
// compiles as usual; so does one that V8 rejects (another Node version, other flags): the cache
// only ever saves time, it never decides what runs. (Not a hash of the text: node:crypto alone
// takes longer to load than most chunks take to compile.)
'use strict';
const Module = require('node:module');
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

const BUNDLE_DIR = path.resolve(__dirname, '../dist/bin');
const CACHE_DIR = path.join(BUNDLE_DIR, 'code-cache');

// Whole seconds: a copy that keeps times (cp -p, tar, fs.cpSync with preserveTimestamps) keeps
// them to the second, not always to the nanosecond, and must still find its cache.
function cacheFile(filename) {
  const { size, mtimeMs } = fs.statSync(filename);
  return path.join(CACHE_DIR, `${path.basename(filename)}.${size}.${Math.floor(mtimeMs / 1000)}.v8`);
}

/**
 * Compiles the bundle's chunks through vm.Script with their cached bytecode. With `record`, every
 * chunk is compiled afresh and listed, for writeCodeCache() once the training commands have run.
 */
function installCodeCache({ record = false } = {}) {
  if (!record && !fs.existsSync(CACHE_DIR)) return null;
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (path.dirname(filename) !== BUNDLE_DIR) return compile.call(this, content, filename);
    // A chunk that keeps an import() of its own (node:readline in the receive scanner) is left to
    // Node, whose loader serves it; vm.Script's way to do that is experimental and says so on stderr.
    if (record && content.includes('import(')) return compile.call(this, content, filename);
    const file = cacheFile(filename);
    let cachedData;
    if (!record) {
      try {
        cachedData = fs.readFileSync(file);
      } catch {
        return compile.call(this, content, filename);
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (record) compiled.push({ script, file });
    const mod = this;
    const requireHere = (id) => mod.require(id);
    requireHere.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    requireHere.main = process.mainModule;
    requireHere.extensions = Module._extensions;
    requireHere.cache = Module._cache;
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(mod.exports, mod.exports, requireHere, mod, filename, path.dirname(filename));
  };
  return compiled;
}

/** Writes the bytecode of every chunk compiled so far (functions run so far included). */
function writeCodeCache(compiled) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  for (const { script, file } of compiled) {
    fs.writeFileSync(file, script.createCachedData());
    // Readable by whoever may run the CLI, whatever umask the training commands set (main.ts).
    fs.chmodSync(file, 0o644);
  }
  return compiled.length;
}

module.exports = { installCodeCache, writeCodeCache, CACHE_DIR };
