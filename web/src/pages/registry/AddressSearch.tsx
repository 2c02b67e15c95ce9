import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { Badge, Group, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuilding, IconDoor, IconRoad, IconSearch } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { ErrorAlert } from '../../components/DataState';
import type { DeskExamples } from '../metering/types';
import type { AddressHit, AddressSearchResult } from './types';

const MIN_QUERY = 2;

/** Where a hit leads: a premise or building card; a street has no card (null). */
function hitPath(hit: AddressHit): string | null {
  if (hit.kind === 'premise' && hit.premiseId !== null) return `/premises/${hit.premiseId}`;
  if (hit.buildingId !== null) return `/buildings/${hit.buildingId}`;
  return null;
}

const KIND_LABEL = {
  street: { uk: 'вулиця', en: 'street' },
  building: { uk: 'будинок', en: 'building' },
  premise: { uk: 'приміщення', en: 'premise' },
} as const;
const KIND_COLOR = { street: 'gray', building: 'blue', premise: 'teal' } as const;
const KIND_ICON = { street: IconRoad, building: IconBuilding, premise: IconDoor } as const;

/**
 * One text box; results appear as the person types (debounced). ↑/↓ choose a result, Enter opens
 * it (the first one when none is chosen). The server understands «київська 12а», «Kyivska 12-A»…
 */
export function AddressSearch({ autoFocus = false }: { autoFocus?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const listId = useId();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 250);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const search = useApiGet<AddressSearchResult>(query.length >= MIN_QUERY ? '/addresses/search' : null, { q: query });
  // The hint's example is an address of the community shown, not one made up.
  const example = useApiGet<DeskExamples>('/metering/lookup/examples').data?.address;
  const hits = query.length >= MIN_QUERY ? (search.data?.items ?? []) : [];

  useEffect(() => setActive(-1), [search.data]);

  /** A building or premise opens its card; a street goes into the box, to type the house number next. */
  function choose(hit: AddressHit) {
    const path = hitPath(hit);
    if (path) {
      navigate(path);
      return;
    }
    setText(`${hit.streetName} `);
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && hits.length > 0) {
      event.preventDefault();
      setActive((index) => (index + 1) % hits.length);
    } else if (event.key === 'ArrowUp' && hits.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? hits.length - 1 : index - 1));
    } else if (event.key === 'Enter' && hits.length > 0) {
      event.preventDefault();
      choose(hits[Math.max(active, 0)]);
    } else if (event.key === 'Escape') {
      setText('');
    }
  }

  const waiting = text.trim().length >= MIN_QUERY && (text.trim() !== query || search.loading);

  return (
    <Stack gap="sm">
      <TextInput
        size="lg"
        label={t({ uk: 'Адреса', en: 'Address' })}
        description={t({
          uk: `Вулиця і номер будинку, можна з квартирою${example ? `: «${example}»` : ''}`,
          en: `Street and house number, optionally the apartment${example ? `: «${example}»` : ''}`,
        })}
        placeholder={t({ uk: 'Почніть вводити адресу…', en: 'Start typing an address…' })}
        leftSection={<IconSearch size={22} />}
        rightSection={waiting ? <Loader size="sm" /> : null}
        value={text}
        ref={inputRef}
        autoFocus={autoFocus}
        autoComplete="off"
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
      />
      {search.error !== undefined && query.length >= MIN_QUERY ? <ErrorAlert error={search.error} onRetry={search.reload} /> : null}
      {query.length >= MIN_QUERY && !waiting && search.error === undefined && hits.length === 0 ? (
        <Text c="dimmed" size="md">
          {t({ uk: 'За цією адресою нічого не знайдено. Перевірте назву вулиці та номер будинку.', en: 'Nothing found at this address. Check the street name and house number.' })}
        </Text>
      ) : null}
      {hits.length > 0 && (
        <Paper withBorder role="listbox" id={listId} aria-label={t({ uk: 'Знайдені адреси', en: 'Addresses found' })}>
          {hits.map((hit, index) => {
            const HitIcon = KIND_ICON[hit.kind];
            return (
              <UnstyledButton
                key={`${hit.kind}-${hit.premiseId ?? hit.buildingId ?? hit.streetId}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                onClick={() => choose(hit)}
                onMouseEnter={() => setActive(index)}
                w="100%"
                px="md"
                py="sm"
                bg={index === active ? 'blue.0' : undefined}
                style={{ borderTop: index > 0 ? '1px solid var(--mantine-color-gray-2)' : undefined }}
              >
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <Group gap="sm" wrap="nowrap">
                    <HitIcon size={22} color="var(--mantine-color-blue-7)" style={{ flexShrink: 0 }} />
                    <Stack gap={0}>
                      <Text size="md" fw={500}>
                        {hit.address}
                      </Text>
                      {hit.unifiedAccount && (
                        <Text size="sm" c="dimmed">
                          {t({ uk: 'єдиний рахунок', en: 'unified account' })} <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{hit.unifiedAccount}</span>
                        </Text>
                      )}
                      {hit.byFormerName && (
                        <Text size="sm" c="dimmed">
                          {t({ uk: 'знайдено за колишньою назвою вулиці', en: 'found by a former street name' })}
                        </Text>
                      )}
                    </Stack>
                  </Group>
                  <Badge variant="light" color={KIND_COLOR[hit.kind]} style={{ flexShrink: 0 }}>
                    {t(KIND_LABEL[hit.kind])}
                  </Badge>
                </Group>
              </UnstyledButton>
            );
          })}
        </Paper>
      )}
    </Stack>
  );
}
