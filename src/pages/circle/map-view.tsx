// Type-checking and unit tests resolve this file; Taro builds pick map-view.weapp.tsx or
// map-view.h5.tsx by platform, so Taro's H5 Map (Baidu script loader) is never bundled.
export * from './map-view.h5';
