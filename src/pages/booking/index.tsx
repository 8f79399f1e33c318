import { PageShell } from '@/components/page-shell';
import { ComingSoon } from '@/components/coming-soon';

export default function BookingPage() {
  return (
    <PageShell>
      <ComingSoon
        title='预约空间服务'
        points={['健身房、会客厅、托育、日照中心、政务办事在线预约', '满员可排队候补，有空位自动通知', '到场扫码签到，随时查看我的预约']}
      />
    </PageShell>
  );
}
