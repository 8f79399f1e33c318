/**
 * The app's privacy notice, shown on 我的. There is no export or deletion action in the app yet:
 * the notice says how to ask the community for either (the secretary handles it by hand).
 */
export const APP_PRIVACY_TITLE = '隐私说明';

export const APP_PRIVACY_TEXT = [
  '邻里一刻钟只保存提供服务所需的信息：微信昵称与头像、你的预约与签到、志愿登记与服务记录、探访记录（仅志愿者与社区书记可见，姓名和住址脱敏显示）。',
  '这些信息只用于社区服务，不提供给第三方；长者信息的每次查看都会记入访问记录。',
].join('\n');

/** How to ask for a copy or the deletion of one's data (no in-app action exists). */
export const DATA_REQUEST_TEXT =
  '如需导出或删除你的数据，请到社区服务中心或联系社区书记提出申请；书记核实身份后办理，并告知结果。依法需要留存的志愿服务记录会说明保留期限。';
