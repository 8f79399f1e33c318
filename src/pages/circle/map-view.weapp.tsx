import { Map } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { circleCategory } from '@/domain/circle/categories';
import type { NearbyPlace } from '@/domain/circle/coverage';
import { BAND_STYLE, type MapViewProps } from './map-types';

export const MARKER_ICON = '/assets/map/pin.png';

/**
 * Mini-program: WeChat's native map. Bands are `circles`, places are `markers` labelled with
 * their category mark; a marker tap selects the place. Coordinates are GCJ-02 as the map expects.
 */
export function MapView({ origin, bands, places, selectedId, onSelect }: MapViewProps) {
  const markers = places.map((p, index) => {
    const category = circleCategory(p.category);
    return {
      id: index,
      latitude: p.location.latitude,
      longitude: p.location.longitude,
      title: p.name,
      // One pin for every place (copied to dist/assets/map by config/index.ts); the label carries the category.
      iconPath: MARKER_ICON,
      width: 24,
      height: 32,
      zIndex: p.id === selectedId ? 10 : 1,
      label: {
        content: `${category.icon}${p.id === selectedId ? p.name : ''}`,
        color: category.color,
        fontSize: 12,
        anchorX: -8,
        anchorY: 0,
        bgColor: '#ffffffcc',
        padding: 2,
        borderRadius: 4,
        borderWidth: 0,
        borderColor: '#ffffff',
        textAlign: 'center' as const,
      },
    };
  });
  const circles = [...bands]
    .sort((a, b) => b.minutes - a.minutes)
    .map((b) => ({
      latitude: origin.latitude,
      longitude: origin.longitude,
      radius: Math.round(b.radiusM),
      color: BAND_STYLE[b.minutes]?.stroke ?? '#0f766e',
      fillColor: BAND_STYLE[b.minutes]?.fill ?? '#0f766e11',
      strokeWidth: 2,
    }));
  return (
    <Map
      className="circle-map circle-map--native"
      latitude={origin.latitude}
      longitude={origin.longitude}
      scale={15}
      markers={markers}
      circles={circles}
      showLocation
      onError={() => undefined}
      onMarkerTap={(e) => {
        const place = places[Number(e.detail.markerId)];
        if (place) onSelect(place.id);
      }}
    />
  );
}

export const CAN_NAVIGATE = true;

/** Hand the place to WeChat's own location opener (which offers navigation apps). */
export function navigateTo(place: NearbyPlace): void {
  void Taro.openLocation({
    latitude: place.location.latitude,
    longitude: place.location.longitude,
    name: place.name,
    address: place.address,
    scale: 17,
  });
}
