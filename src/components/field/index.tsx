import { Input, Picker, Text } from '@tarojs/components';
import type { InputProps } from '@tarojs/components';
import type { ReactNode } from 'react';

/**
 * One text input of a page's form. `block` is the page's class block (`vp` → `vp__input`), so a
 * field looks as the rest of its page; `onValue` is given what was typed.
 *
 *   <TextInput block="vp" value={code} maxlength={9} onValue={setCode} />
 */
export interface TextInputProps extends Omit<InputProps, 'className' | 'value' | 'onInput'> {
  block: string;
  value: string;
  onValue: (value: string) => void;
  /** The input's `data-testid`. */
  testId?: string;
}

export function TextInput({ block, onValue, testId, ...input }: TextInputProps) {
  return (
    <Input
      className={`${block}__input`}
      {...(testId === undefined ? {} : { 'data-testid': testId })}
      {...input}
      onInput={(e) => onValue(e.detail.value)}
    />
  );
}

/** A labelled form field: the label above its input. */
export function Field({ label, ...input }: TextInputProps & { label: ReactNode }) {
  return (
    <>
      <Text className={`${input.block}__label`}>{label}</Text>
      <TextInput {...input} />
    </>
  );
}

export interface PickerInputProps {
  block: string;
  /** YYYY-MM-DD for a date, HH:mm for a time. */
  value: string;
  onValue: (value: string) => void;
  testId: string;
}

/** A date or time the person picks, shown as the page's input. */
export function PickerInput({
  mode,
  start,
  end,
  ...shown
}: PickerInputProps &
  ({ mode: 'time'; start?: never; end?: never } | { mode: 'date'; start: string; end: string })) {
  const onChange = (e: { detail: { value: string | number } }) =>
    shown.onValue(String(e.detail.value));
  const text = (
    <Text className={`${shown.block}__input`} data-testid={shown.testId}>
      {shown.value}
    </Text>
  );
  return mode === 'date' ? (
    <Picker mode="date" value={shown.value} start={start} end={end} onChange={onChange}>
      {text}
    </Picker>
  ) : (
    <Picker mode="time" value={shown.value} onChange={onChange}>
      {text}
    </Picker>
  );
}
