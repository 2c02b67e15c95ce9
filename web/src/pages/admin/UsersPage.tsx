import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconKey, IconUserPlus } from '@tabler/icons-react';
import { api } from '../../api';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { useApiGet, useApiList } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { FormCard, useSubmission } from '../../components/FormCard';
import { PageHeader } from '../../components/PageHeader';
import { useSession, type Role } from '../../session';
import type { Provider } from '../registry/types';
import type { User } from './types';

/** The user forms' fields by their labels: a refusal names them so. */
const USER_LABELS = {
  login: { uk: 'Логін', en: 'Login' },
  displayName: { uk: 'Ім’я', en: 'Name' },
  role: { uk: 'Роль', en: 'Role' },
  providerId: { uk: 'Постачальник', en: 'Provider' },
};

/** Staff roles an administrator hands out here (residents come from the portal's own sign-up). */
const ROLES: Role[] = ['admin', 'operator', 'city', 'provider'];

/** The one-time password, shown once, to give the person by hand. */
interface Issued {
  login: string;
  password: string;
}

/**
 * The administrator's users: who has which role (and provider), when they last signed in; add a
 * user with a one-time password, change the role or provider, disable, reset the password.
 */
export function UsersPage() {
  const t = useT();
  const users = useApiGet<User[]>('/users');
  const providers = useApiList<Provider>('/providers', { limit: 100 });
  const [issued, setIssued] = useState<Issued | null>(null);
  const providerOptions = providers.items.map((p) => ({ value: String(p.providerId), label: p.shortName ?? p.name }));
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }));

  return (
    <>
      <PageHeader
        title={t({ uk: 'Користувачі та ролі', en: 'Users and roles' })}
        subtitle={t({ uk: 'Хто працює в системі, з якою роллю, і коли востаннє входив', en: 'Who works in the system, in which role, and when they last signed in' })}
      />
      {issued && (
        <Alert color="green" mb="md" role="status" withCloseButton onClose={() => setIssued(null)} title={t({ uk: 'Одноразовий пароль', en: 'One-time password' })}>
          <Text>
            {t({ uk: `Логін «${issued.login}», пароль:`, en: `Login "${issued.login}", password:` })} <Code data-testid="one-time-password">{issued.password}</Code>
          </Text>
          <Text size="sm" c="dimmed">
            {t({ uk: 'Передайте його людині: він показаний лише зараз.', en: 'Give it to the person: it is shown only now.' })}
          </Text>
        </Alert>
      )}
      <AddUser roles={roleOptions} providers={providerOptions} onAdded={(i) => { setIssued(i); users.reload(); }} />
      <DataState state={users}>
        {(list) => (
          <Paper withBorder>
            <Table.ScrollContainer minWidth={0}>
              <Table verticalSpacing="xs" aria-label={t({ uk: 'Користувачі', en: 'Users' })}>
                <Table.Thead visibleFrom="md">
                  <Table.Tr>
                    <Table.Th>{t({ uk: 'Логін та ім’я', en: 'Login and name' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Роль і постачальник', en: 'Role and provider' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Останній вхід', en: 'Last sign-in' })}</Table.Th>
                    <Table.Th>{t({ uk: 'Дії', en: 'Actions' })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((u) => (
                    <UserRow key={u.userId} user={u} roles={roleOptions} providers={providerOptions} onChanged={users.reload} onIssued={setIssued} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </DataState>
    </>
  );
}

type Option = { value: string; label: string };

function AddUser({ roles, providers, onAdded }: { roles: Option[]; providers: Option[]; onAdded: (issued: Issued) => void }) {
  const t = useT();
  const form = useSubmission(USER_LABELS);
  const [login, setLogin] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<string | null>('operator');
  const [providerId, setProviderId] = useState<string | null>(null);

  const add = () =>
    form.submit(async () => {
      const created = await api.post<{ userId: number; password: string }>('/users', {
        login: login.trim(),
        displayName: displayName.trim(),
        role,
        providerId: role === 'provider' && providerId ? Number(providerId) : null,
      });
      onAdded({ login: login.trim(), password: created.password });
      setLogin('');
      setDisplayName('');
    });

  return (
    <FormCard title={t({ uk: 'Додати користувача', en: 'Add a user' })} onSubmit={() => void add()} message={form.message} mb="md">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput label={t({ uk: 'Логін', en: 'Login' })} required value={login} onChange={(e) => setLogin(e.currentTarget.value)} autoComplete="off" />
        <TextInput label={t({ uk: 'Ім’я', en: 'Name' })} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} />
        <Select label={t({ uk: 'Роль', en: 'Role' })} data={roles} value={role} onChange={setRole} allowDeselect={false} />
        <Select
          label={t({ uk: 'Постачальник', en: 'Provider' })}
          data={providers}
          value={providerId}
          onChange={setProviderId}
          disabled={role !== 'provider'}
          searchable
          placeholder={role === 'provider' ? t({ uk: 'Оберіть постачальника', en: 'Choose the provider' }) : '—'}
        />
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit" loading={form.saving} leftSection={<IconUserPlus size={18} />}>
          {t({ uk: 'Додати з одноразовим паролем', en: 'Add with a one-time password' })}
        </Button>
      </Group>
    </FormCard>
  );
}

function UserRow({ user, roles, providers, onChanged, onIssued }: { user: User; roles: Option[]; providers: Option[]; onChanged: () => void; onIssued: (issued: Issued) => void }) {
  const t = useT();
  const format = useFormat();
  const session = useSession();
  const form = useSubmission(USER_LABELS);
  const [role, setRole] = useState<string>(user.role);
  const [providerId, setProviderId] = useState<string | null>(user.providerId === null ? null : String(user.providerId));
  const changed = role !== user.role || (role === 'provider' && providerId !== (user.providerId === null ? null : String(user.providerId)));

  const patch = (body: Record<string, unknown>) =>
    form.submit(async () => {
      await api.patch(`/users/${user.userId}`, body);
      onChanged();
    });
  const reset = () =>
    form.submit(async () => {
      const { password } = await api.post<{ password: string }>(`/users/${user.userId}/reset-password`);
      onIssued({ login: user.login, password });
    });

  return (
    <Table.Tr data-testid={`user-${user.login}`}>
      <Table.Td>
        <Text fw={500}>{user.login}</Text>
        <Text size="sm" c="dimmed">
          {user.displayName}
        </Text>
        {user.disabled && (
          <Badge color="gray" variant="light">
            {t({ uk: 'вимкнено', en: 'disabled' })}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <Select aria-label={t({ uk: `Роль: ${user.login}`, en: `Role: ${user.login}` })} data={roles} value={role} onChange={(v) => v && setRole(v)} allowDeselect={false} size="xs" />
          {role === 'provider' && (
            <Select aria-label={t({ uk: `Постачальник: ${user.login}`, en: `Provider: ${user.login}` })} data={providers} value={providerId} onChange={setProviderId} searchable size="xs" />
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{user.lastSignInAt ? format.dateTime(user.lastSignInAt) : t({ uk: 'ще не входив', en: 'never yet' })}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          {changed && (
            <Button size="xs" loading={form.saving} onClick={() => void patch({ role, providerId: role === 'provider' && providerId ? Number(providerId) : null })}>
              {t('common.save')}
            </Button>
          )}
          <Button size="xs" variant="default" leftSection={<IconKey size={14} />} onClick={() => void reset()}>
            {t({ uk: 'Новий пароль', en: 'New password' })}
          </Button>
          {user.login !== session.user?.login && (
            <Button size="xs" variant="light" color={user.disabled ? 'green' : 'red'} onClick={() => void patch({ disabled: !user.disabled })}>
              {user.disabled ? t({ uk: 'Увімкнути', en: 'Enable' }) : t({ uk: 'Вимкнути', en: 'Disable' })}
            </Button>
          )}
        </Group>
        {form.message && (
          <Text size="sm" c={form.message.color} role={form.message.color === 'red' ? 'alert' : 'status'}>
            {form.message.text}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
