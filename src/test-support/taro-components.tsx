/**
 * jest only: @tarojs/components mapped to plain DOM elements, so component tests render in jsdom
 * without the H5 web-components runtime. Events keep Taro's shape (`e.detail.value`).
 */
import { type PropsWithChildren } from 'react';

type Props = PropsWithChildren<Record<string, unknown>>;

function pick(props: Props): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (k === 'children' || k === 'onClick') continue;
    if (k.startsWith('data-') || k === 'className' || k === 'id' || k === 'role' || k === 'style')
      out[k] = v;
  }
  return out;
}

export const View = (p: Props) => (
  <div {...pick(p)} onClick={p.onClick as never}>
    {p.children}
  </div>
);
export const Text = (p: Props) => <span {...pick(p)}>{p.children}</span>;
export const Button = (p: Props) => (
  <button {...pick(p)} disabled={Boolean(p.disabled)} onClick={p.onClick as never}>
    {p.children}
  </button>
);
export const Switch = (p: Props) => (
  <input
    type="checkbox"
    role="switch"
    {...pick(p)}
    checked={Boolean(p.checked)}
    onChange={(e) =>
      (p.onChange as ((ev: { detail: { value: boolean } }) => void) | undefined)?.({
        detail: { value: e.target.checked },
      })
    }
  />
);
export const Input = (p: Props) => (
  <input
    {...pick(p)}
    value={p.value as string}
    placeholder={p.placeholder as string}
    onChange={(e) =>
      (p.onInput as ((ev: { detail: { value: string } }) => void) | undefined)?.({
        detail: { value: e.target.value },
      })
    }
  />
);
export const ScrollView = View;
export const Image = (p: Props) => <img {...pick(p)} src={p.src as string} alt="" />;
