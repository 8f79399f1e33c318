import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';

/** Open another screen of the app (kept in the page stack, so 返回 comes back). */
export const go = (url: string) => void Taro.navigateTo({ url });

export interface NavLink {
  label: string;
  url: string;
  testId?: string;
}

/**
 * A page's links to other screens: small buttons, or (with `linkClassName`) the page's own link
 * style.
 *
 *   <NavLinks links={[{ label: '探访覆盖', url: '/packages/visits/coverage/index' }]} />
 */
export function NavLinks({
  links,
  linkClassName,
}: {
  links: readonly NavLink[];
  linkClassName?: string;
}) {
  return (
    <>
      {links.map(({ label, url, testId }) => {
        const props = {
          ...(testId === undefined ? {} : { 'data-testid': testId }),
          onClick: () => go(url),
        };
        return linkClassName === undefined ? (
          <Button key={url} size="mini" {...props}>
            {label}
          </Button>
        ) : (
          <View key={url} className={linkClassName} {...props}>
            {label}
          </View>
        );
      })}
    </>
  );
}
