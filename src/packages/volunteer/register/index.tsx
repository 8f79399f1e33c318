import { useState } from 'react';
import { Button, Checkbox, Label, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import * as v from 'valibot';
import { Field } from '@/components/field';
import { PageShell } from '@/components/page-shell';
import { showHint } from '@/components/toast';
import { useAction } from '@/components/use-action';
import {
  PRIVACY_NOTICE_TEXT,
  PRIVACY_NOTICE_TITLE,
  PRIVACY_NOTICE_VERSION,
  registrationSchema,
} from '@/domain/volunteer/registration';
import { useVolunteerStore } from '@/stores/volunteer';
import '../shared.scss';

function RegisterForm() {
  const current = useVolunteerStore((s) => s.mine.data?.volunteer);
  const register = useVolunteerStore((s) => s.register);
  const [name, setName] = useState(current?.name ?? '');
  const [phone, setPhone] = useState(current?.phone ?? '');
  const [workUnit, setWorkUnit] = useState(current?.workUnit ?? '');
  const [partyMember, setPartyMember] = useState(current?.partyMember ?? false);
  const [partySince, setPartySince] = useState(current?.partySince ?? '');
  const [skills, setSkills] = useState((current?.skills ?? []).join('、'));
  const [consent, setConsent] = useState(false);
  const { busy, run } = useAction();

  const submit = () => {
    const input = {
      name,
      phone,
      workUnit,
      partyMember,
      ...(partyMember && partySince ? { partySince } : {}),
      skills: skills.split(/[、,，\s]+/).filter(Boolean),
      consentVersion: consent ? PRIVACY_NOTICE_VERSION : '',
    };
    const checked = v.safeParse(registrationSchema, input);
    if (!checked.success)
      return showHint(consent ? checked.issues[0].message : '请阅读并同意个人信息保护说明');
    const registration = checked.output;
    void run(() => register(registration), {
      then: () => void setTimeout(() => void Taro.navigateBack(), 600),
    });
  };

  return (
    <View className="vp">
      <View className="vp__card">
        <Field
          block="vp"
          label="真实姓名"
          testId="reg-name"
          value={name}
          maxlength={20}
          placeholder="与身份证一致"
          onValue={setName}
        />
        <Field
          block="vp"
          label="手机号"
          testId="reg-phone"
          type="number"
          value={phone}
          maxlength={11}
          onValue={setPhone}
        />
        <Field
          block="vp"
          label="工作单位（选填）"
          value={workUnit}
          maxlength={40}
          onValue={setWorkUnit}
        />
        <View className="vp__row">
          <Text>中共党员</Text>
          <Switch
            checked={partyMember}
            color="#0f766e"
            onChange={(e) => setPartyMember(e.detail.value)}
          />
        </View>
        {partyMember ? (
          <>
            <Field
              block="vp"
              label="入党时间（如 2001-07）"
              value={partySince}
              maxlength={7}
              onValue={setPartySince}
            />
          </>
        ) : null}
        <Field
          block="vp"
          label="特长技能（用顿号分隔，选填）"
          value={skills}
          maxlength={100}
          onValue={setSkills}
        />
      </View>
      <View className="vp__card">
        <Text className="vp__title">{PRIVACY_NOTICE_TITLE}</Text>
        <Text className="vp__notice">{PRIVACY_NOTICE_TEXT}</Text>
        <Label className="vp__row" onClick={() => setConsent(!consent)}>
          <Checkbox value="consent" checked={consent} color="#0f766e" data-testid="reg-consent" />
          <Text>我已阅读并同意（版本 {PRIVACY_NOTICE_VERSION}）</Text>
        </Label>
      </View>
      <Button
        className="vp__primary"
        data-testid="reg-submit"
        loading={busy}
        disabled={busy || undefined}
        onClick={submit}
      >
        提交登记
      </Button>
    </View>
  );
}

export default function RegisterPage() {
  return (
    <PageShell>
      <RegisterForm />
    </PageShell>
  );
}
