import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import {
  BANDS,
  type Band,
  circleCategory,
  CATEGORY_CLASS_NAMES,
  type CircleCategoryId,
} from '@/domain/circle/categories';
import { formatWalkingMinutes } from '@/domain/circle/walking';
import type { CircleCoverage } from '@/domain/contract';

interface Props {
  coverage: CircleCoverage;
  requesting: readonly CircleCategoryId[];
  onRequest: (category: CircleCategoryId) => void;
}

/** What the circle has and lacks against the MOFCOM guide, band by band. */
export function CoveragePanel({ coverage, requesting, onRequest }: Props) {
  const [band, setBand] = useState<Band>(15);
  const current =
    coverage.bands.find((b) => b.minutes === band) ?? coverage.bands[coverage.bands.length - 1];
  const missing = current.categories.filter((c) => !c.present);
  const present = current.categories.filter((c) => c.present);
  return (
    <View className="coverage" data-testid="coverage">
      <Text className="coverage__title">便民服务覆盖</Text>
      <Text className="coverage__hint">
        对照商务部《一刻钟便民生活圈建设指南》的 {current.categories.length} 类业态
      </Text>
      <View className="coverage__tabs">
        {BANDS.map((b) => (
          <Text
            key={b}
            className={`coverage__tab ${b === band ? 'is-active' : ''}`}
            onClick={() => setBand(b)}
            data-testid={`coverage-band-${b}`}
          >
            {b} 分钟
          </Text>
        ))}
      </View>
      <Text className="coverage__summary" data-testid="coverage-summary">
        步行 {band} 分钟内：已有 {current.presentCount} 类，缺 {current.missingCount} 类
        {current.gapCount > 0 ? `（其中 ${current.gapCount} 类指南建议在此范围内）` : ''}
      </Text>
      {missing.length > 0 ? (
        <View className="coverage__group">
          <Text className="coverage__group-title">缺少</Text>
          {missing.map((c) => {
            const category = circleCategory(c.category);
            const asked = coverage.myRequests.includes(c.category);
            return (
              <View
                key={c.category}
                className={`coverage__row ${c.expected ? 'is-gap' : ''}`}
                data-testid={`missing-${c.category}`}
              >
                <View className="coverage__row-main">
                  <Text className="coverage__name">
                    {category.icon} {category.name}
                    {c.expected ? ' · 指南建议' : ''}
                  </Text>
                  <Text className="coverage__nearest">
                    {c.nearest
                      ? `最近：${c.nearest.name}，${formatWalkingMinutes(c.nearest.minutes)}`
                      : '附近没有找到'}
                    {` · ${CATEGORY_CLASS_NAMES[category.class]}`}
                  </Text>
                </View>
                {band === 15 ? (
                  <Button
                    className="coverage__ask"
                    size="mini"
                    disabled={asked || requesting.includes(c.category) || undefined}
                    onClick={() => onRequest(c.category)}
                  >
                    {asked ? '已提需求' : '我需要'}
                  </Button>
                ) : null}
              </View>
            );
          })}
        </View>
      ) : (
        <Text className="coverage__all">指南中的各类服务在这个范围内都有。</Text>
      )}
      <View className="coverage__group">
        <Text className="coverage__group-title">已有</Text>
        <View className="coverage__chips">
          {present.map((c) => (
            <Text key={c.category} className="coverage__chip">
              {circleCategory(c.category).icon} {circleCategory(c.category).name}
            </Text>
          ))}
        </View>
      </View>
    </View>
  );
}
