import { useEffect } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { PageShell } from '@/components/page-shell';
import { useAction } from '@/components/use-action';
import { LoadStateView } from '@/components/state-view';
import {
  CLAIM_REFUSAL_MESSAGES,
  type ClaimRefusal,
  claimRefusal,
  overlappingClaims,
} from '@/domain/volunteer/claims';
import { describeSchedule } from '@/domain/volunteer/opportunity';
import { inShanghai } from '@/domain/shared/time';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';

/** What the claim button says when the rules already refuse the claim. */
const REFUSED_LABELS: Partial<Record<ClaimRefusal, string>> = {
  POST_FULL: '名额已满',
  REQUIREMENT_NOT_MET: '仅限党员认领',
  CLAIM_CLOSED: '已过认领时间',
  LIST_NOT_OPEN: '清单不在认领期',
  REGISTRATION_PENDING: '登记审核中',
  ALREADY_CLAIMED: '您已认领',
};

function PostDetail() {
  const id = useRouter().params.id ?? '';
  const { board, mine: mineLoad, load, claim, withdraw, checkIn, checkOut } = useVolunteerStore();
  const { busy, run } = useAction();
  const posts = board.data?.posts;
  const lists = board.data?.lists ?? [];
  const mine = mineLoad.data;
  useEffect(() => {
    if (!posts?.some((p) => p.id === id)) void load();
  }, [id, posts, load]);

  const post = posts?.find((p) => p.id === id);
  if (!post) {
    return (
      <LoadStateView load={board} onRetry={() => void load()} empty="这个岗位不存在或已下架" />
    );
  }
  const myClaim = mine?.claims.find((c) => c.postId === id);
  // The same rules the server applies, to explain a refusal before the volunteer taps.
  // Someone not yet registered sees 认领, which leads to registration.
  const refusal = mine?.volunteer
    ? claimRefusal({
        volunteer: mine.volunteer,
        listStatus: lists.find((l) => l.id === post.listId)?.status ?? 'published',
        post,
        alreadyClaimed: post.myClaim === 'claimed',
        // Past claims still listed would overcount; the server enforces the limit.
        activeClaims: 0,
        now: new Date(),
      })
    : null;
  const refusedLabel = refusal ? REFUSED_LABELS[refusal] : undefined;
  const onClaim = () => {
    const volunteering = mine?.volunteer ? mine : null;
    if (!volunteering) {
      void Taro.navigateTo({ url: '/packages/volunteer/register/index' });
      return;
    }
    void run(async () => {
      const overlaps = overlappingClaims(
        post.schedule,
        volunteering.claims.filter((c) => c.status === 'claimed'),
        post.id,
      );
      const { confirm } = await Taro.showModal({
        title: '认领岗位',
        content: overlaps.length
          ? `与您已认领的「${overlaps.map((o) => o.postTitle).join('、')}」时间重叠，仍要认领吗？`
          : `认领「${post.title}」？${describeSchedule(post.schedule)}`,
        confirmText: '认领',
      });
      return confirm ? claim(post.id) : null;
    });
  };
  const onWithdraw = () =>
    run(async () => {
      const { confirm } = await Taro.showModal({
        title: '退出岗位',
        content: '退出后名额将让给其他志愿者，确定退出吗？',
        confirmText: '退出',
      });
      return confirm ? withdraw(post.id) : null;
    });
  const onCheckIn = () =>
    run(async () => {
      let scene: string | undefined;
      if (post.location.spaceId && process.env.TARO_ENV === 'weapp') {
        try {
          const scanned = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
          scene = /scene=([^&]+)/.exec(scanned.path ?? scanned.result ?? '')?.[1];
        } catch {
          return null;
        }
      } else if (post.location.spaceId) {
        scene = `s=${post.location.spaceId}`;
      }
      return checkIn(post.id, scene);
    });

  return (
    <View className="vp">
      <View className="vp__card">
        <Text className="vp__title">{post.title}</Text>
        {post.description ? <Text>{post.description}</Text> : null}
        <Text className="vp__hint">时间：{describeSchedule(post.schedule)}</Text>
        <Text className="vp__hint">地点：{post.location.place}</Text>
        <Text className="vp__hint">
          积分：{post.points} · 名额：余 {post.placesLeft}/{post.capacity}
        </Text>
        <Text className="vp__hint">
          认领截止：{inShanghai(post.claimDeadline).format('MM-DD HH:mm')}，退出截止：
          {inShanghai(post.withdrawDeadline).format('MM-DD HH:mm')}
        </Text>
        {post.requirements.partyMemberOnly ? <Text className="vp__warn">仅限党员认领</Text> : null}
        {post.requirements.note ? <Text className="vp__tag">{post.requirements.note}</Text> : null}
      </View>
      {myClaim ? (
        <View className="vp__card">
          <Text className="vp__tag" data-testid="post-claimed">
            您已认领
          </Text>
          {myClaim.openServiceId ? (
            <Button
              className="vp__primary"
              disabled={busy || undefined}
              onClick={() => void run(() => checkOut(post.id))}
            >
              签退
            </Button>
          ) : (
            <Button
              className="vp__primary"
              disabled={busy || undefined}
              onClick={() => void onCheckIn()}
            >
              {post.location.spaceId ? '扫码签到' : '开始服务（签到）'}
            </Button>
          )}
          <Button
            className="vp__danger"
            disabled={busy || undefined}
            onClick={() => void onWithdraw()}
          >
            退出岗位
          </Button>
        </View>
      ) : (
        <View className="vp__card">
          <Button
            className="vp__primary"
            data-testid="post-claim"
            disabled={busy || refusedLabel !== undefined || undefined}
            onClick={onClaim}
          >
            {refusedLabel ?? '认领'}
          </Button>
          {refusal && refusedLabel ? (
            <Text className="vp__hint" data-testid="post-claim-refusal">
              {CLAIM_REFUSAL_MESSAGES[refusal]}
            </Text>
          ) : null}
        </View>
      )}
    </View>
  );
}

export default function PostPage() {
  return (
    <PageShell>
      <PostDetail />
    </PageShell>
  );
}
