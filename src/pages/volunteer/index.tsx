import { PageShell } from '@/components/page-shell';
import { ComingSoon } from '@/components/coming-soon';

export default function VolunteerPage() {
  return (
    <PageShell>
      <ComingSoon
        title='志愿服务'
        points={['浏览社区发布的机会岗位清单并认领', '记录服务时长，积分兑换奖励', '结对探访老人，弱网也能记录']}
      />
    </PageShell>
  );
}
