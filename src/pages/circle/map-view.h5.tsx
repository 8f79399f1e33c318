import { View } from '@tarojs/components';
import { circleCategory } from '@/domain/circle/categories';
import type { NearbyPlace } from '@/domain/circle/coverage';
import { METRES_PER_DEGREE } from '@/domain/circle/walking';
import { BAND_STYLE, type MapViewProps } from './map-types';

/**
 * H5: a self-drawn map (SVG), no tiles and no request to any map service. Positions are an
 * equirectangular projection around the origin (exact enough within 2 km); north is up and the
 * 15-minute band fills the square with a small margin.
 */
const SIZE = 300;

export function MapView({
  origin,
  originLabel,
  bands,
  places,
  selectedId,
  onSelect,
}: MapViewProps) {
  const outer = Math.max(...bands.map((b) => b.radiusM), 100);
  const scale = (SIZE / 2 - 8) / outer;
  const cosLat = Math.cos((origin.latitude * Math.PI) / 180);
  const project = (p: { latitude: number; longitude: number }) => ({
    x: SIZE / 2 + (p.longitude - origin.longitude) * METRES_PER_DEGREE * cosLat * scale,
    y: SIZE / 2 - (p.latitude - origin.latitude) * METRES_PER_DEGREE * scale,
  });
  const selected = places.find((p) => p.id === selectedId);
  return (
    <View className="circle-map circle-map--drawn" data-testid="circle-map">
      <svg
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        width="100%"
        role="img"
        aria-label={`以${originLabel}为中心的步行 5、10、15 分钟范围图`}
      >
        <rect x={0} y={0} width={SIZE} height={SIZE} fill="#f8faf9" />
        {[...bands]
          .sort((a, b) => b.minutes - a.minutes)
          .map((b) => (
            <g key={b.minutes} data-band={b.minutes}>
              <circle
                cx={SIZE / 2}
                cy={SIZE / 2}
                r={b.radiusM * scale}
                fill={BAND_STYLE[b.minutes]?.fill ?? 'none'}
                stroke={BAND_STYLE[b.minutes]?.stroke ?? '#0f766e'}
                strokeWidth={1.5}
                strokeDasharray={b.minutes === 15 ? '4 3' : undefined}
              />
              <text
                x={SIZE / 2 + 3}
                y={SIZE / 2 - b.radiusM * scale + 11}
                fontSize={9}
                fill="#115e59"
              >
                {b.minutes} 分钟
              </text>
            </g>
          ))}
        <text x={SIZE - 14} y={16} fontSize={10} fill="#6b7280">
          北
        </text>
        {places.map((p) => {
          const { x, y } = project(p.location);
          const category = circleCategory(p.category);
          const isSelected = p.id === selectedId;
          return (
            <g
              key={p.id}
              className="circle-map__marker"
              data-place-id={p.id}
              role="button"
              aria-label={p.name}
              onClick={() => onSelect(p.id)}
              style={{ cursor: 'pointer' }}
            >
              <circle
                cx={x}
                cy={y}
                r={isSelected ? 11 : 8}
                fill="#ffffff"
                stroke={category.color}
                strokeWidth={isSelected ? 3 : 2}
              />
              <text x={x} y={y + 3.5} fontSize={isSelected ? 11 : 9} textAnchor="middle">
                {category.icon}
              </text>
            </g>
          );
        })}
        <circle cx={SIZE / 2} cy={SIZE / 2} r={5} fill="#c2410c" stroke="#ffffff" strokeWidth={2} />
        {selected ? (
          <text
            x={project(selected.location).x}
            y={project(selected.location).y - 14}
            fontSize={10}
            textAnchor="middle"
            fill="#1f2937"
          >
            {selected.name}
          </text>
        ) : null}
      </svg>
    </View>
  );
}

/** Navigation apps are reached through WeChat's location opener, which H5 does not have. */
export const CAN_NAVIGATE = false;

export function navigateTo(_place: NearbyPlace): void {
  // Not offered on H5: no external map service.
}
