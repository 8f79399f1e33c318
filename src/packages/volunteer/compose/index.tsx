import { useEffect, useState } from 'react';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import * as v from 'valibot';
import { Field, PickerInput, TextInput } from '@/components/field';
import { PageShell } from '@/components/page-shell';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';
import {
  WEEKDAYS_MONDAY_FIRST,
  WEEKDAY_LABELS,
  addDays,
  describeSchedule,
  listDraftSchema,
  occurrences,
  postDraftSchema,
  scheduleFromForm,
  type ListDraft,
  type PostDraft,
  type ScheduleForm,
} from '@/domain/volunteer/opportunity';
import { shanghaiDate } from '@/domain/shared/time';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';

const DEFAULT_CATEGORIES = '关爱老人、应急处突、健康服务';

function Compose() {
  const listId = useRouter().params.id;
  const saveList = useVolunteerStore((s) => s.saveList);
  const publishList = useVolunteerStore((s) => s.publishList);
  const today = shanghaiDate(new Date());
  const earliest = addDays(today, -365);
  const latest = addDays(today, 730);
  const [title, setTitle] = useState('');
  const [periodFrom, setFrom] = useState(today);
  const [periodUntil, setUntil] = useState(addDays(today, 13));
  const [categoryText, setCategoryText] = useState(DEFAULT_CATEGORIES);
  const [posts, setPosts] = useState<PostDraft[]>([]);
  const [post, setPost] = useState({
    title: '',
    category: 1,
    capacity: '5',
    points: '10',
    partyOnly: false,
    note: '',
    place: '',
  });
  const [when, setWhen] = useState<ScheduleForm>({
    kind: 'once',
    date: addDays(today, 2),
    weekdays: [],
    from: '',
    until: '',
    start: '09:00',
    end: '11:00',
  });
  const { busy, run } = useAction();

  useEffect(() => {
    if (!listId) return;
    void useVolunteerStore
      .getState()
      .loadDraft(listId)
      .then((draft) => {
        if (!draft) return;
        setTitle(draft.title);
        setFrom(draft.periodFrom);
        setUntil(draft.periodUntil);
        setCategoryText(draft.categories.map((c) => c.name).join('、'));
        setPosts(draft.posts);
      });
  }, [listId]);

  const categories = categoryText
    .split(/[、,，\s]+/)
    .filter(Boolean)
    .map((name, i) => ({ id: `c${i + 1}`, name }));

  // A weekly schedule runs over the list's period unless the secretary narrows it.
  const schedule = scheduleFromForm({
    ...when,
    from: when.from || periodFrom,
    until: when.until || periodUntil,
  });
  const toggleWeekday = (d: number) =>
    setWhen({
      ...when,
      weekdays: when.weekdays.includes(d)
        ? when.weekdays.filter((x) => x !== d)
        : [...when.weekdays, d],
    });

  const addPost = () => {
    const candidate = {
      categoryId: `c${Math.min(Math.max(post.category, 1), categories.length)}`,
      title: post.title,
      description: '',
      schedule,
      capacity: Number(post.capacity),
      points: Number(post.points),
      requirements: { partyMemberOnly: post.partyOnly, note: post.note },
      location: { place: post.place || '社区党群服务中心' },
    };
    const checked = v.safeParse(postDraftSchema, candidate);
    if (!checked.success) return showHint(checked.issues[0].message);
    if (occurrences(checked.output.schedule).length === 0)
      return showHint('所选日期范围内没有这几个星期');
    setPosts([...posts, checked.output]);
    setPost({ ...post, title: '', note: '' });
  };

  const draft = (): ListDraft | null => {
    const checked = v.safeParse(listDraftSchema, {
      title,
      periodFrom,
      periodUntil,
      categories,
      posts,
    });
    if (!checked.success) {
      showHint(checked.issues[0].message);
      return null;
    }
    return checked.output;
  };

  const save = (andPublish: boolean) => {
    const d = draft();
    if (!d) return;
    void run(
      async () => {
        if (andPublish) {
          const { confirm } = await Taro.showModal({
            title: '发布清单',
            content: `发布「${d.title}」（${d.posts.length} 个岗位）？发布后不能修改。`,
            confirmText: '发布',
          });
          if (!confirm) return null;
        }
        const saved = await saveList(d, listId);
        return saved.ok && andPublish && saved.data ? publishList(saved.data.id) : saved;
      },
      { then: () => void setTimeout(() => void Taro.navigateBack(), 500) },
    );
  };

  return (
    <View className="vp">
      <View className="vp__card">
        <Field
          block="vp"
          label="清单标题"
          testId="compose-title"
          value={title}
          maxlength={40}
          placeholder="如：光华社区三月机会岗位清单"
          onValue={setTitle}
        />
        <Text className="vp__label">时间段</Text>
        <View className="vp__row">
          <PickerInput
            block="vp"
            mode="date"
            testId="compose-period-from"
            value={periodFrom}
            start={earliest}
            end={latest}
            onValue={setFrom}
          />
          <Text>至</Text>
          <PickerInput
            block="vp"
            mode="date"
            testId="compose-period-until"
            value={periodUntil}
            start={earliest}
            end={latest}
            onValue={setUntil}
          />
        </View>
        <Field
          block="vp"
          label="分类（用顿号分隔）"
          value={categoryText}
          maxlength={80}
          onValue={setCategoryText}
        />
      </View>

      <Text className="vp__title">岗位（{posts.length}）</Text>
      {posts.map((p, i) => (
        <View key={i} className="vp__card vp__row">
          <View>
            <Text>{p.title}</Text>
            <Text className="vp__hint">
              {' '}
              {categories.find((c) => c.id === p.categoryId)?.name} · {describeSchedule(p.schedule)}{' '}
              · {p.capacity} 人 · {p.points} 分
            </Text>
          </View>
          <Button size="mini" onClick={() => setPosts(posts.filter((_, j) => j !== i))}>
            删除
          </Button>
        </View>
      ))}

      <View className="vp__card">
        <Field
          block="vp"
          label="岗位名称"
          testId="compose-post-title"
          value={post.title}
          maxlength={30}
          placeholder="如：关爱老人日常探访"
          onValue={(value) => setPost({ ...post, title: value })}
        />
        <Text className="vp__label">分类</Text>
        <View className="vp__chips">
          {categories.map((c, i) => (
            <View
              key={c.id}
              className={`vp__chip${post.category === i + 1 ? ' vp__chip--on' : ''}`}
              data-testid="compose-category"
              onClick={() => setPost({ ...post, category: i + 1 })}
            >
              {c.name}
            </View>
          ))}
        </View>
        <Text className="vp__label">时间安排</Text>
        <View className="vp__chips">
          <View
            className={`vp__chip${when.kind === 'once' ? ' vp__chip--on' : ''}`}
            data-testid="compose-once"
            onClick={() => setWhen({ ...when, kind: 'once' })}
          >
            单次
          </View>
          <View
            className={`vp__chip${when.kind === 'weekly' ? ' vp__chip--on' : ''}`}
            data-testid="compose-weekly"
            onClick={() => setWhen({ ...when, kind: 'weekly' })}
          >
            每周重复
          </View>
        </View>
        {when.kind === 'once' ? (
          <>
            <Text className="vp__label">日期</Text>
            <PickerInput
              block="vp"
              mode="date"
              testId="compose-date"
              value={when.date}
              start={earliest}
              end={latest}
              onValue={(value) => setWhen({ ...when, date: value })}
            />
          </>
        ) : (
          <>
            <Text className="vp__label">每周哪几天</Text>
            <View className="vp__chips">
              {WEEKDAYS_MONDAY_FIRST.map((d) => (
                <View
                  key={d}
                  className={`vp__chip${when.weekdays.includes(d) ? ' vp__chip--on' : ''}`}
                  data-testid={`compose-weekday-${d}`}
                  onClick={() => toggleWeekday(d)}
                >
                  周{WEEKDAY_LABELS[d]}
                </View>
              ))}
            </View>
            <Text className="vp__label">从 / 到（默认为清单时间段）</Text>
            <View className="vp__row">
              <PickerInput
                block="vp"
                mode="date"
                testId="compose-from"
                value={when.from}
                placeholder={periodFrom}
                start={earliest}
                end={latest}
                onValue={(value) => setWhen({ ...when, from: value })}
              />
              <Text>至</Text>
              <PickerInput
                block="vp"
                mode="date"
                testId="compose-until"
                value={when.until}
                placeholder={periodUntil}
                start={earliest}
                end={latest}
                onValue={(value) => setWhen({ ...when, until: value })}
              />
            </View>
          </>
        )}
        <Text className="vp__label">开始 / 结束时间</Text>
        <View className="vp__row">
          <PickerInput
            block="vp"
            mode="time"
            testId="compose-start"
            value={when.start}
            onValue={(value) => setWhen({ ...when, start: value })}
          />
          <Text>–</Text>
          <PickerInput
            block="vp"
            mode="time"
            testId="compose-end"
            value={when.end}
            onValue={(value) => setWhen({ ...when, end: value })}
          />
        </View>
        {when.kind === 'weekly' &&
        schedule.kind === 'weekly' &&
        schedule.weekdays.length > 0 &&
        schedule.start < schedule.end ? (
          <Text className="vp__hint" data-testid="compose-schedule-preview">
            {describeSchedule(schedule)} · 共 {occurrences(schedule).length} 次
          </Text>
        ) : null}
        <Text className="vp__label">名额 / 积分</Text>
        <View className="vp__row">
          <TextInput
            block="vp"
            type="number"
            maxlength={4}
            value={post.capacity}
            onValue={(value) => setPost({ ...post, capacity: value })}
          />
          <TextInput
            block="vp"
            type="number"
            testId="compose-post-points"
            value={post.points}
            onValue={(value) => setPost({ ...post, points: value })}
          />
        </View>
        <Field
          block="vp"
          label="地点"
          value={post.place}
          maxlength={60}
          placeholder="社区党群服务中心"
          onValue={(value) => setPost({ ...post, place: value })}
        />
        <Field
          block="vp"
          label="要求说明（选填）"
          value={post.note}
          maxlength={60}
          placeholder="如：需会使用血压计"
          onValue={(value) => setPost({ ...post, note: value })}
        />
        <View className="vp__row">
          <Text>仅限党员</Text>
          <Switch
            checked={post.partyOnly}
            color="#0f766e"
            onChange={(e) => setPost({ ...post, partyOnly: e.detail.value })}
          />
        </View>
        <Button data-testid="compose-add-post" onClick={addPost}>
          添加岗位
        </Button>
      </View>

      <Button className="vp__secondary" disabled={busy || undefined} onClick={() => save(false)}>
        保存草稿
      </Button>
      <Button
        className="vp__primary"
        data-testid="compose-publish"
        disabled={busy || undefined}
        onClick={() => save(true)}
      >
        保存并发布
      </Button>
    </View>
  );
}

export default function ComposePage() {
  return (
    <PageShell audience={{ roles: ['secretary'], why: '只有社区书记可以发布机会清单' }}>
      <Compose />
    </PageShell>
  );
}
