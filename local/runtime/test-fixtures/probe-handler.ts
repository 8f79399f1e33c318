import cloud from 'wx-server-sdk';

/**
 * A tiny cloud function used only by local/runtime and local/server tests. It exercises what the
 * host provides: getWXContext per invocation, the database, openapi permissions and timeouts.
 */
// DYNAMIC_CURRENT_ENV is a symbol; the SDK typings only admit strings.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

interface ProbeEvent {
  action?: string;
  input?: { tag?: string; ms?: number; scene?: string; templateId?: string; touser?: string };
  Type?: string;
  TriggerName?: string;
  Time?: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(e: unknown): number | string {
  const err = e as { errCode?: number; message?: string };
  return err.errCode ?? err.message ?? 'unknown';
}

export async function main(event: ProbeEvent): Promise<unknown> {
  const db = cloud.database();
  if (event.Type === 'Timer') {
    const { OPENID } = cloud.getWXContext();
    await db
      .collection('probes')
      .add({ data: { kind: 'timer', trigger: event.TriggerName, at: event.Time } });
    return {
      ok: true,
      data: { trigger: event.TriggerName, time: event.Time, openid: OPENID ?? null },
    };
  }
  const input = event.input ?? {};
  switch (event.action) {
    case 'whoami': {
      const before = cloud.getWXContext().OPENID;
      await sleep(Math.floor(Math.random() * 15));
      const { OPENID } = cloud.getWXContext();
      const added = (await db
        .collection('probes')
        .add({ data: { _openid: OPENID, tag: input.tag, kind: 'call' } })) as { _id: string };
      await sleep(Math.floor(Math.random() * 15));
      const doc = (await db.collection('probes').doc(added._id).get()) as {
        data: { _openid?: string; tag?: string };
      };
      const stored = doc.data;
      return {
        ok: true,
        data: {
          before,
          openid: cloud.getWXContext().OPENID,
          stored: stored._openid,
          tag: stored.tag,
          userInfo: (event as { userInfo?: unknown }).userInfo ?? null,
        },
      };
    }
    case 'sleep':
      await sleep(input.ms ?? 0);
      return { ok: true, data: { slept: input.ms ?? 0 } };
    case 'qrcode':
      try {
        const res = (await cloud.openapi.wxacode.getUnlimited({
          scene: input.scene ?? 's=r29',
          page: 'pages/index/index',
        })) as {
          contentType: string;
          buffer: Buffer;
        };
        return { ok: true, data: { contentType: res.contentType, bytes: res.buffer.length } };
      } catch (e) {
        return { ok: false, code: 'OPENAPI_ERROR', message: String(errorCode(e)) };
      }
    case 'notify':
      try {
        await cloud.openapi.subscribeMessage.send({
          touser: input.touser ?? cloud.getWXContext().OPENID,
          templateId: input.templateId ?? 'tpl-booking',
          page: 'pages/index/index',
          data: { thing1: { value: '预约成功（示例）' } },
        });
        return { ok: true, data: { sent: true } };
      } catch (e) {
        return { ok: false, code: 'OPENAPI_ERROR', message: String(errorCode(e)) };
      }
    case 'relay': {
      const res = (await cloud.callFunction({
        name: 'plain',
        data: { action: 'whoami', input: { tag: input.tag } },
      })) as {
        result: unknown;
      };
      return { ok: true, data: { relayed: res.result } };
    }
    case 'throw':
      throw new Error('probe failure');
    default:
      return { ok: false, code: 'UNKNOWN_ACTION', message: '不支持的操作' };
  }
}
