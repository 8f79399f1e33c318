import Taro from '@tarojs/taro';
import { buildIcs } from '@/domain/booking/ics';
import type { BookingView } from '@/domain/contract';

/** Add a booking to the phone's calendar: weapp addPhoneCalendar, H5 an .ics download. */
export async function addToCalendar(b: BookingView): Promise<void> {
  const title = `${b.serviceName}预约`;
  const description = `${b.when}，${b.place}。请在开始前后到场签到。`;
  if (process.env.TARO_ENV === 'h5') {
    const ics = buildIcs({
      uid: `${b.id}@linli`,
      title,
      location: b.place,
      description,
      start: new Date(b.start),
      end: new Date(b.end),
      now: new Date(),
      alarmMinutes: 30,
    });
    const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `linli-${b.date}.ics`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return;
  }
  // Unix seconds, both numbers: WeChat's reference (wx.addPhoneCalendar) types endTime as number and
  // refuses a string ("parameter.endTime should be Number instead of String"); Taro's typings still
  // follow an older page that said string, hence the cast.
  const options = {
    title,
    startTime: Math.floor(new Date(b.start).getTime() / 1000),
    endTime: Math.floor(new Date(b.end).getTime() / 1000),
    description,
    location: b.place,
    alarm: true,
    alarmOffset: 1800,
  };
  await Taro.addPhoneCalendar(options as unknown as Taro.addPhoneCalendar.Option);
}
