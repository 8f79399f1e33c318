/**
 * What secretaries and volunteers read about urgent flags, kept apart from the flag rules so the
 * main package (首页 and 我的 show the banner) carries only these few lines.
 */

/** The subscribe-message template for an urgent flag (production: replace with the console's id). */
export const URGENT_FLAG_TEMPLATE_ID = 'linli-visit-urgent';

/**
 * What the volunteer is told after raising a flag: who has it and how. Nobody to notify (no
 * secretary in the community yet) says to call the community instead: the flag must not look
 * delivered when it reached nobody.
 */
export function flagNoticeText(notice: { secretaries: string[]; messaged: string[] }): string {
  const n = notice.secretaries.length;
  if (n === 0) return '社区还没有书记账号，紧急情况没有送达任何人，请立即电话联系社区或拨打 120';
  const names = notice.secretaries.join('、');
  const inApp = `已送达 ${n} 位社区书记的应用内待办（${names}）`;
  if (notice.messaged.length === 0) return `${inApp}；没有人开启微信提醒，书记打开应用时会看到`;
  if (notice.messaged.length === n) return `${inApp}，并都已发送微信提醒`;
  return `${inApp}；其中 ${notice.messaged.join('、')} 已收到微信提醒`;
}

/** An urgent visit saved on the phone with no network: nobody has it yet. */
export const URGENT_NOT_SENT =
  '手机没有网络，探访已保存在手机上，联网后自动发送并通知社区书记。情况紧急请立即电话联系社区或拨打 120';

/** On the secretary's inbox: who the flag's last raise reached. */
export function flagReachText(flag: {
  notifiedSecretaries: number;
  messagedSecretaries: number;
}): string {
  return `应用内已送达 ${flag.notifiedSecretaries} 位书记，${flag.messagedSecretaries} 位收到微信提醒`;
}

/** The badge text for open flags (WeChat's tab badge shows at most 4 characters). */
export function urgentBadge(open: number): string | null {
  if (open <= 0) return null;
  return open > 99 ? '99+' : String(open);
}

/** What the secretary reads about their WeChat messages for urgent flags. */
export function grantsText(grants: number): string {
  return grants > 0
    ? `还可接收 ${grants} 条紧急情况的微信提醒`
    : '微信提醒已用完：新的紧急情况只会显示在应用内，请点“接收下一条提醒”';
}
