export * from './router';
export * from './caller';
export * from './collections';
export * from './db';
export * from './json';
export * from './input-guard';
export * from './transact';
export * from './timer-jobs';
export { openDatabase, wxContext, initCloud, sdk, type Sdk, type WXContext } from './sdk';
