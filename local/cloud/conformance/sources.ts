/** How conformance cases name their sources. */

/** The commit of TencentCloudBase/node-sdk the cases were ported from. */
export const NODE_SDK_COMMIT = 'b3c9dda879254ef769adc20aefbb116dd46c5eb7';

/** `TencentCloudBase/node-sdk@<commit>:test/database/<file> › <describe › test name>` */
export function nodeSdk(file: string, name: string): string {
  return `TencentCloudBase/node-sdk@${NODE_SDK_COMMIT}:test/database/${file} › ${name}`;
}

/** A WeChat cloud database reference page (reference-sdk-api). */
export function wxRef(page: string): string {
  return `https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/database/${page}.html`;
}
