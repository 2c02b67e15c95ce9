import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { api } from '../../api';
import { useSubmission, type FormMessage } from '../../components/FormCard';
import { useT } from '../../i18n';
import type { AgentView } from '../../../../src/payments/agents';

const FIELDS = {
  name: { uk: 'Назва', en: 'Name' },
  maxAmount: { uk: 'Ліміт платежу, грн', en: 'Payment limit, UAH' },
  ipAllow: { uk: 'Дозволені IP-адреси', en: 'Allowed IP addresses' },
};

/**
 * An agent's settings, changed by an administrator: name, limit, the addresses its calls may come
 * from (one per line; none: any), and whether it works at all (switched off, every call is refused).
 */
export function EditAgentDialog({ agent, onClose, onSaved }: { agent: AgentView; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [name, setName] = useState(agent.name);
  const [limitUah, setLimitUah] = useState<number | string>(agent.maxAmount / 100);
  const [ips, setIps] = useState((agent.ipAllow ?? []).join('\n'));
  const [active, setActive] = useState(agent.active);
  const saving = useSubmission(FIELDS);

  const save = () =>
    saving.submit(async () => {
      const ipAllow = ips.split('\n').map((s) => s.trim()).filter(Boolean);
      await api.patch(`/payments/agents/${agent.agentId}`, { name: name.trim(), maxAmount: Math.round(Number(limitUah) * 100), ipAllow: ipAllow.length ? ipAllow : null, active });
      onSaved();
    });

  return (
    <Modal opened onClose={onClose} title={t({ uk: 'Агент {c}', en: 'Agent {c}' }, { c: agent.code })}>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <TextInput label={t(FIELDS.name)} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={200} mb="sm" data-autofocus />
        <NumberInput label={t(FIELDS.maxAmount)} value={limitUah} onChange={setLimitUah} min={1} decimalScale={2} required mb="sm" />
        <Textarea
          label={t(FIELDS.ipAllow)}
          description={t({ uk: 'По одній у рядку; порожньо — з будь-якої адреси', en: 'One per line; empty: from any address' })}
          value={ips}
          onChange={(e) => setIps(e.currentTarget.value)}
          autosize
          minRows={2}
          mb="sm"
        />
        <Switch
          label={t({ uk: 'Агент працює', en: 'The agent works' })}
          description={t({ uk: 'Вимкнений агент не може ні шукати борг, ні платити; через вимкненого еквайра не почати нову оплату карткою', en: 'A switched-off agent can neither look up debts nor pay; through a switched-off acquirer no new card payment starts' })}
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
          mb="md"
        />
        <Refusal message={saving.message} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t({ uk: 'Скасувати', en: 'Cancel' })}</Button>
          <Button type="submit" loading={saving.saving} disabled={!name.trim() || limitUah === ''}>{t({ uk: 'Зберегти', en: 'Save' })}</Button>
        </Group>
      </form>
    </Modal>
  );
}

/** Retiring a key at once, after the administrator confirms: calls signed with it are refused from then. */
export function RetireKeyDialog({ agent, keyId, onClose, onRetired }: { agent: AgentView; keyId: string; onClose: () => void; onRetired: () => void }) {
  const t = useT();
  const retiring = useSubmission();

  const retire = () =>
    retiring.submit(async () => {
      await api.post(`/payments/agents/${agent.agentId}/keys/${encodeURIComponent(keyId)}/retire`, {});
      onRetired();
    });

  return (
    <Modal opened onClose={onClose} title={t({ uk: 'Відкликати ключ?', en: 'Retire the key?' })}>
      <Text mb="md">
        {t(
          { uk: 'Ключ {k} агента {a} перестане діяти одразу: кожен запит, підписаний ним, буде відхилено. Видайте новий ключ, якщо агент має працювати далі.', en: 'Key {k} of agent {a} stops at once: every call signed with it is refused. Issue a new key if the agent is to go on working.' },
          { k: keyId, a: agent.name },
        )}
      </Text>
      <Refusal message={retiring.message} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>{t({ uk: 'Скасувати', en: 'Cancel' })}</Button>
        <Button color="red" loading={retiring.saving} onClick={() => void retire()}>{t({ uk: 'Відкликати', en: 'Retire' })}</Button>
      </Group>
    </Modal>
  );
}

/** What the server said when it refused the dialog's action. */
function Refusal({ message }: { message: FormMessage | null }) {
  return message?.color === 'red' ? <Alert color="red" role="alert" mb="md">{message.text}</Alert> : null;
}
