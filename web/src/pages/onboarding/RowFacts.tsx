import { Text } from '@mantine/core';
import { useT } from '../../i18n';
import type { QueueItem } from './types';

/** A queued row's account, its fields by their labels, and why it waits. */
export function RowFacts({ item, reasonColor }: { item: QueueItem; reasonColor: string }) {
  const t = useT();
  return (
    <>
      {item.accountNumber && (
        <Text size="sm">
          {t({ uk: 'Рахунок', en: 'Account' })}: {item.accountNumber}
        </Text>
      )}
      {item.fields.map((f) => (
        <Text size="sm" key={f.field}>
          {t({ uk: f.uk, en: f.en })}: {f.value}
        </Text>
      ))}
      <Text size="sm" c={reasonColor}>
        {t({ uk: item.reasonUk ?? '', en: item.reasonEn ?? '' })}
      </Text>
    </>
  );
}
