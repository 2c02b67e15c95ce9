import { useEffect, useRef, useState } from 'react';
import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, errorMessages, setCsrfToken } from '../api';
import { useT } from '../i18n';
import { useSession } from '../session';
import { PortalPage, Problem } from './common';

function useAction() {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError(t(errorMessages(e)));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function PortalSignIn() {
  const t = useT();
  const { refresh } = useSession();
  const [contact, setContact] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  return (
    <PortalPage title={{ uk: 'Вхід до кабінету мешканця', en: 'Sign in to the residents’ portal' }}>
      <Text fz="lg">{t({ uk: 'Дивіться й сплачуйте єдиний рахунок, подавайте показники лічильників.', en: 'See and pay your unified bill, send meter readings.' })}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api.post<{ csrfToken: string }>('/portal/sign-in', { contact, password });
            setCsrfToken(r.csrfToken);
            await refresh();
          });
        }}
      >
        <Stack>
          <TextInput label={t({ uk: 'E-mail або телефон', en: 'E-mail or phone' })} value={contact} onChange={(e) => setContact(e.currentTarget.value)} autoComplete="username" required />
          <PasswordInput label={t({ uk: 'Пароль', en: 'Password' })} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required />
          <Problem text={error} />
          <Button type="submit" loading={busy} size="lg">
            {t({ uk: 'Увійти', en: 'Sign in' })}
          </Button>
        </Stack>
      </form>
      <Group justify="space-between">
        <Anchor component={Link} to="/portal/sign-up" fz="lg">
          {t({ uk: 'Зареєструватися', en: 'Sign up' })}
        </Anchor>
        <Anchor component={Link} to="/portal/reset" fz="lg">
          {t({ uk: 'Забули пароль?', en: 'Forgot the password?' })}
        </Anchor>
      </Group>
    </PortalPage>
  );
}

export function PortalSignUp() {
  const t = useT();
  const navigate = useNavigate();
  const [contact, setContact] = useState('');
  const [displayName, setName] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  return (
    <PortalPage title={{ uk: 'Реєстрація', en: 'Sign up' }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api.post<{ channel: string; contact: string }>('/portal/sign-up', { contact, password, displayName });
            navigate(`/portal/confirm?contact=${encodeURIComponent(r.contact)}`);
          });
        }}
      >
        <Stack>
          <TextInput label={t({ uk: "Ваше ім'я", en: 'Your name' })} value={displayName} onChange={(e) => setName(e.currentTarget.value)} autoComplete="name" required />
          <TextInput
            label={t({ uk: 'E-mail або мобільний телефон', en: 'E-mail or mobile phone' })}
            description={t({ uk: 'Надішлемо код підтвердження', en: 'We will send a confirmation code' })}
            value={contact}
            onChange={(e) => setContact(e.currentTarget.value)}
            autoComplete="email"
            required
          />
          <PasswordInput label={t({ uk: 'Пароль (щонайменше 8 символів)', en: 'Password (at least 8 characters)' })} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" required />
          <Problem text={error} />
          <Button type="submit" loading={busy} size="lg">
            {t({ uk: 'Зареєструватися', en: 'Sign up' })}
          </Button>
        </Stack>
      </form>
      <Anchor component={Link} to="/portal" fz="lg">
        {t({ uk: 'Вже є обліковий запис? Увійти', en: 'Have an account? Sign in' })}
      </Anchor>
    </PortalPage>
  );
}

export function PortalConfirm() {
  const t = useT();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [contact, setContact] = useState(params.get('contact') ?? '');
  const [code, setCode] = useState(params.get('code') ?? '');
  const { error, busy, run } = useAction();
  const confirm = () =>
    run(async () => {
      const r = await api.post<{ csrfToken: string }>('/portal/confirm', { contact, code });
      setCsrfToken(r.csrfToken);
      await refresh();
      navigate('/portal');
    });
  // A link from the e-mail carries the code: confirm at once.
  const auto = useRef(false);
  useEffect(() => {
    if (!auto.current && params.get('code') && params.get('contact')) {
      auto.current = true;
      void confirm();
    }
  });
  return (
    <PortalPage title={{ uk: 'Підтвердження', en: 'Confirmation' }}>
      <Text fz="lg">{t({ uk: 'Ми надіслали код на ваш e-mail або телефон. Введіть його тут.', en: 'We sent a code to your e-mail or phone. Type it here.' })}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <Stack>
          <TextInput label={t({ uk: 'E-mail або телефон', en: 'E-mail or phone' })} value={contact} onChange={(e) => setContact(e.currentTarget.value)} required />
          <TextInput label={t({ uk: 'Код із повідомлення', en: 'Code from the message' })} value={code} onChange={(e) => setCode(e.currentTarget.value)} inputMode="numeric" autoComplete="one-time-code" required />
          <Problem text={error} />
          <Button type="submit" loading={busy} size="lg">
            {t({ uk: 'Підтвердити', en: 'Confirm' })}
          </Button>
        </Stack>
      </form>
    </PortalPage>
  );
}

export function PortalReset() {
  const t = useT();
  const [params] = useSearchParams();
  const [contact, setContact] = useState(params.get('contact') ?? '');
  const [code, setCode] = useState(params.get('code') ?? '');
  const [password, setPassword] = useState('');
  const [stage, setStage] = useState<'ask' | 'set' | 'done'>(params.get('code') ? 'set' : 'ask');
  const { error, busy, run } = useAction();
  return (
    <PortalPage title={{ uk: 'Відновлення пароля', en: 'Password reset' }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (stage === 'ask') {
              await api.post('/portal/reset', { contact });
              setStage('set');
            } else {
              await api.post('/portal/reset/confirm', { contact, code, password });
              setStage('done');
            }
          });
        }}
      >
        <Stack>
          <TextInput label={t({ uk: 'E-mail або телефон', en: 'E-mail or phone' })} value={contact} onChange={(e) => setContact(e.currentTarget.value)} required />
          {stage !== 'ask' && (
            <>
              <Text fz="lg">{t({ uk: 'Якщо такий обліковий запис є, ми надіслали код.', en: 'If such an account exists, we sent a code.' })}</Text>
              <TextInput label={t({ uk: 'Код із повідомлення', en: 'Code from the message' })} value={code} onChange={(e) => setCode(e.currentTarget.value)} required />
              <PasswordInput label={t({ uk: 'Новий пароль', en: 'New password' })} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" required />
            </>
          )}
          <Problem text={error} />
          {stage === 'done' ? (
            <Text role="status" fz="lg" c="green.9">
              {t({ uk: 'Пароль змінено. Увійдіть з новим паролем.', en: 'The password is changed. Sign in with the new one.' })}
            </Text>
          ) : (
            <Button type="submit" loading={busy} size="lg">
              {stage === 'ask' ? t({ uk: 'Надіслати код', en: 'Send a code' }) : t({ uk: 'Змінити пароль', en: 'Change the password' })}
            </Button>
          )}
        </Stack>
      </form>
      <Anchor component={Link} to="/portal" fz="lg">
        {t({ uk: 'Увійти', en: 'Sign in' })}
      </Anchor>
    </PortalPage>
  );
}
