import { PageShell } from '@/components/page-shell';
import { ComingSoon } from '@/components/coming-soon';

export default function CirclePage() {
  return (
    <PageShell>
      <ComingSoon
        title='15 分钟生活圈'
        points={['步行 5 / 10 / 15 分钟范围内的便民服务地图', '按类别筛选，查看是否营业', '看看身边还缺什么服务，并提出需求']}
      />
    </PageShell>
  );
}
