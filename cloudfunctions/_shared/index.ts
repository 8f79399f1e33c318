export * from './router';
export * from './caller';
export * from './collections';
export * from './db';
export * from './json';
export { openDatabase, wxContext, initCloud } from './sdk';
