import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Compiler } from 'webpack';

/** Files the service worker does not need: source maps and licence notes. */
const SKIP = /\.(map|LICENSE\.txt)$/;

/**
 * Writes dist-h5/sw.js: config/service-worker.js with the list of every file the build emits and a
 * version made from their names (which carry content hashes), so a new build replaces the cache.
 */
export class PrecachePlugin {
  apply(compiler: Compiler): void {
    const { webpack } = compiler;
    compiler.hooks.thisCompilation.tap('LinliPrecache', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'LinliPrecache', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        (assets) => {
          const files = Object.keys(assets)
            .filter((name) => !SKIP.test(name) && name !== 'sw.js')
            .sort();
          const urls = [
            '/index.html',
            ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`),
          ];
          const version = crypto
            .createHash('sha256')
            .update(urls.join('\n'))
            .digest('hex')
            .slice(0, 12);
          const template = fs.readFileSync(path.join(__dirname, 'service-worker.js'), 'utf8');
          const source = template
            .replace('__LINLI_VERSION__', version)
            .replace('__LINLI_PRECACHE__', JSON.stringify(urls));
          compilation.emitAsset('sw.js', new webpack.sources.RawSource(source));
        },
      );
    });
  }
}
