import { forwardRef, useEffect, useId, useState, type KeyboardEvent } from 'react';
import { Group, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { ErrorAlert } from '../../components/DataState';
import type { AddressSearchResult } from '../registry/types';
import type { DeskExamples, PremiseHit } from './types';
import { rankDeskHits } from './rank';

/** A hit of either search: a premise, or a whole building (the desk then walks its flats). */
export type LookupHit = (PremiseHit & { kind: 'premise' }) | { kind: 'building'; buildingId: number; houseKey: string | null; premiseNumber: null; address: string };

/**
 * One box for whatever the caller says: the unified account number from the bill, a provider's
 * account number, a surname or an address; the hint under the box names real ones of this community.
 * ↑/↓ choose, Enter opens (the first hit when none is chosen), Escape clears.
 */
export const PremiseLookup = forwardRef<HTMLInputElement, { onChoose: (hit: LookupHit) => void }>(function PremiseLookup({ onChoose }, ref) {
  const t = useT();
  const listId = useId();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 250);
  const [active, setActive] = useState(-1);
  const examples = useApiGet<DeskExamples>('/metering/lookup/examples');
  const search = useApiGet<PremiseHit[]>(query.length >= 2 ? '/metering/lookup' : null, { q: query });
  // Addresses also go through the registry's address search (former names, Latin spellings, typos).
  const addressLike = /\p{L}/u.test(query) && /\d/.test(query);
  const addresses = useApiGet<AddressSearchResult>(query.length >= 2 && addressLike ? '/addresses/search' : null, { q: query });
  const own: LookupHit[] = (search.data ?? []).map((h) => ({ ...h, kind: 'premise' as const }));
  const seen = new Set(own.map((h) => (h.kind === 'premise' ? h.premiseId : 0)));
  const fromRegistry: LookupHit[] = addressLike
    ? (addresses.data?.items ?? []).flatMap((a): LookupHit[] => {
        if (a.kind === 'premise' && a.premiseId !== null && a.buildingId !== null && !seen.has(a.premiseId)) {
          return [{ kind: 'premise', premiseId: a.premiseId, buildingId: a.buildingId, premiseNumber: a.apartment, houseKey: a.houseKey ?? '', address: a.address, unifiedNumber: a.unifiedAccount, persons: null }];
        }
        if (a.kind === 'building' && a.buildingId !== null) return [{ kind: 'building', buildingId: a.buildingId, houseKey: a.houseKey, premiseNumber: null, address: a.address }];
        return [];
      })
    : [];
  const hits = query.length >= 2 ? rankDeskHits([...own, ...fromRegistry], addressLike ? (addresses.data?.parsed ?? null) : null).slice(0, 20) : [];
  const loading = search.loading || (addressLike && addresses.loading);
  useEffect(() => setActive(-1), [search.data, addresses.data]);

  function choose(hit: LookupHit) {
    onChoose(hit);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && hits.length > 0) {
      event.preventDefault();
      setActive((i) => (i + 1) % hits.length);
    } else if (event.key === 'ArrowUp' && hits.length > 0) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? hits.length - 1 : i - 1));
    } else if (event.key === 'Enter' && hits.length > 0 && text.trim() === query && !loading) {
      event.preventDefault();
      choose(hits[Math.max(active, 0)]!);
    } else if (event.key === 'Escape') {
      setText('');
    }
  }

  const waiting = text.trim().length >= 2 && (text.trim() !== query || loading);
  return (
    <Stack gap="xs">
      <TextInput
        ref={ref}
        size="md"
        label={t({ uk: 'Знайти приміщення', en: 'Find a premise' })}
        description={t(lookupHint(examples.data))}
        placeholder={t({ uk: 'Почніть вводити…', en: 'Start typing…' })}
        leftSection={<IconSearch size={20} />}
        rightSection={waiting ? <Loader size="sm" /> : null}
        value={text}
        autoComplete="off"
        data-testid="premise-lookup"
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
      />
      {search.error !== undefined && query.length >= 2 ? <ErrorAlert error={search.error} onRetry={search.reload} /> : null}
      {query.length >= 2 && !waiting && search.error === undefined && hits.length === 0 ? (
        <Text c="dimmed">{t({ uk: 'Нічого не знайдено', en: 'Nothing found' })}</Text>
      ) : null}
      {hits.length > 0 && (
        <Paper withBorder role="listbox" id={listId} aria-label={t({ uk: 'Знайдені приміщення', en: 'Premises found' })}>
          {hits.map((hit, index) => (
            <UnstyledButton
              key={hit.kind === 'premise' ? `p${hit.premiseId}` : `b${hit.buildingId}`}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              tabIndex={-1}
              onClick={() => choose(hit)}
              w="100%"
              px="md"
              py="xs"
              bg={index === active ? 'blue.0' : undefined}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text fw={500}>{hit.address}</Text>
                <Text c="dimmed" size="sm">
                  {hit.kind === 'premise'
                    ? [hit.unifiedNumber, hit.persons].filter(Boolean).join(' · ')
                    : t({ uk: 'весь будинок, квартира за квартирою', en: 'the whole building, flat by flat' })}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Paper>
      )}
    </Stack>
  );
});

/** The hint names an address, an account and a surname that exist in the community shown. */
function lookupHint(examples: DeskExamples | undefined) {
  const e = examples ?? { address: null, unifiedNumber: null, lastName: null };
  const sample = (items: Array<string | null>) => {
    const shown = items.filter((x): x is string => x !== null).map((x) => `«${x}»`);
    return shown.length > 0 ? ` (${shown.join(', ')})` : '';
  };
  return {
    uk: `Номер єдиного рахунку, особовий рахунок, номер лічильника, прізвище або адреса${sample([e.unifiedNumber, e.lastName, e.address])}`,
    en: `Unified account number, personal account, meter serial, surname or address${sample([e.unifiedNumber, e.lastName, e.address])}`,
  };
}
