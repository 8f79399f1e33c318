import { Input, Picker, Text, View } from '@tarojs/components';
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
  /** Shown while nothing is picked (an empty value means the page's default). */
  placeholder?: string;
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
    <Text
      className={`${shown.block}__input${shown.value === '' ? ` ${shown.block}__placeholder` : ''}`}
      data-testid={shown.testId}
    >
      {shown.value === '' ? (shown.placeholder ?? '请选择') : shown.value}
    </Text>
  );
  return mode === 'date' ? (
    <Picker mode="date" value={shown.value} start={start} end={end} onChange={onChange}>
      {text}
    </Picker>
  ) : (
    // 24:00 (open until midnight) is not a time the picker has: it starts from the last minute.
    <Picker mode="time" value={shown.value === '24:00' ? '23:59' : shown.value} onChange={onChange}>
      {text}
    </Picker>
  );
}

export interface DateListInputProps {
  block: string;
  /** The chosen dates, YYYY-MM-DD, in order. */
  value: string[];
  onValue: (value: string[]) => void;
  start: string;
  end: string;
  /** The `data-testid` of the picker; each chip is `${testId}-chip` with its date in `data-date`. */
  testId: string;
  /** The picker's text, e.g. 添加停约日期. */
  addLabel: string;
}

/** Several dates the person picks one at a time: each shown as a chip that a tap removes. */
export function DateListInput({
  block,
  value,
  onValue,
  start,
  end,
  testId,
  addLabel,
}: DateListInputProps) {
  const add = (e: { detail: { value: string | number } }) => {
    const date = String(e.detail.value);
    if (!value.includes(date)) onValue([...value, date].sort());
  };
  return (
    <View className={`${block}__chips`}>
      {value.map((date) => (
        <Text
          key={date}
          className={`${block}__chip ${block}__chip--on`}
          data-testid={`${testId}-chip`}
          data-date={date}
          onClick={() => onValue(value.filter((d) => d !== date))}
        >
          {date} ✕
        </Text>
      ))}
      <Picker
        mode="date"
        value={value[value.length - 1] ?? start}
        start={start}
        end={end}
        onChange={add}
      >
        <Text className={`${block}__chip`} data-testid={testId}>
          {addLabel}
        </Text>
      </Picker>
    </View>
  );
}
