/**
 * papaparse's browser build: the same parser without Node stream support, so neither the cloud
 * function bundle (which must require only wx-server-sdk) nor the weapp bundle pulls in `stream`.
 */
declare module 'papaparse/papaparse.min.js' {
  export * from 'papaparse';
}
