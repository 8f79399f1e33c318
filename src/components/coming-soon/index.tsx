import { Text, View } from '@tarojs/components';
import './index.scss';

/** A tab whose feature has not shipped yet says plainly what is coming. */
export function ComingSoon({ title, points }: { title: string; points: string[] }) {
  return (
    <View className="coming-soon">
      <Text className="coming-soon__title">{title}</Text>
      <Text className="coming-soon__lead">即将上线：</Text>
      {points.map((p) => (
        <Text key={p} className="coming-soon__point">
          · {p}
        </Text>
      ))}
    </View>
  );
}
