import { Paper } from '@mantine/core';
import { useT } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { AddressSearch } from './AddressSearch';

export function AddressSearchPage() {
  const t = useT();
  return (
    <>
      <PageHeader
        title={t({ uk: 'Пошук адреси', en: 'Address search' })}
        subtitle={t({ uk: 'Знайдіть будинок або квартиру, щоб побачити їхні рахунки', en: 'Find a building or an apartment to see its accounts' })}
      />
      <Paper withBorder p="lg" maw={900}>
        <AddressSearch autoFocus />
      </Paper>
    </>
  );
}
