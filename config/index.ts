import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import devConfig from './dev';
import { PrecachePlugin } from './precache-plugin';
import prodConfig from './prod';

/**
 * One source tree, two targets:
 * - weapp → dist/ (opened by WeChat DevTools through project.config.json, talks to WeChat Cloud);
 * - h5    → dist-h5/ (served by the local server, talks to the local cloud over /api/cloud).
 */
export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2026-11-27',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    plugins: [],
    defineConstants: {
      // WeChat Cloud environment id for the weapp build (empty = the DevTools default env).
      LINLI_CLOUD_ENV: JSON.stringify(process.env.LINLI_CLOUD_ENV ?? ''),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: {
      // Files referenced only from code (map marker icons) are not picked up by the bundler.
      patterns: isH5 ? [] : [{ from: 'src/assets/map/', to: 'dist/assets/map/' }],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    // The weapp build runs without webpack's persistent cache: a cached build was seen reusing a
    // stale copy of a module shared by subpackages (packages/*/sub-common), so a changed shared
    // component crashed in the bundle. H5 keeps it (LINLI_BUILD_CACHE=0 turns it off).
    cache: { enable: isH5 && process.env.LINLI_BUILD_CACHE !== '0' },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
        // dist-h5/sw.js: the app opens with no signal once it has been opened (the visit form too).
        chain.plugin('linli-precache').use(PrecachePlugin);
      },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});
