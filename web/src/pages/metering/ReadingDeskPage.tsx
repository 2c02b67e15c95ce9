import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Badge, Button, Grid, Group, Kbd, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';
import { PageHeader } from '../../components/PageHeader';
import { api } from '../../api';
import { withApartment, withoutApartment } from '../../address';
import { PremiseLookup, type LookupHit } from './PremiseLookup';
import { MeterEntry, type FlatOutcome, type Sending } from './MeterEntry';
import { ReadingStatus } from './ReadingStatus';
import type { BuildingFlat, Meter } from './types';

/** A line of «Щойно введено»: one sending of a flat's readings, or a flat passed over. */
interface LogLine {
  id: number;
  label: string;
  sending: Sending | null;
}

/**
 * The call-centre desk: find a premise, see its meters and last readings, type the new ones with
 * the keyboard only. With a building open the desk walks its flats in order: submitting a flat
 * (or Enter on an empty one) opens the next; PageDown / PageUp move by hand; Escape goes back to
 * the search box.
 */
export function ReadingDeskPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const premiseId = Number(params.get('premise')) || null;
  const buildingId = Number(params.get('building')) || null;
  const [title, setTitle] = useState<string>(params.get('title') ?? '');
  const [log, setLog] = useState<LogLine[]>([]);
  const lookupRef = useRef<HTMLInputElement>(null);
  const meters = useApiGet<Meter[]>(premiseId ? `/metering/premises/${premiseId}/meters` : null);
  const flats = useApiGet<BuildingFlat[]>(buildingId ? `/metering/buildings/${buildingId}/premises` : null);
  const walk = (flats.data ?? []).filter((f) => f.meters > 0);
  const position = walk.findIndex((f) => f.premiseId === premiseId);
  const flat = position >= 0 ? walk[position] : undefined;

  const open = useCallback(
    (next: { premiseId: number; buildingId: number | null; title: string }) => {
      setTitle(next.title);
      const search = new URLSearchParams({ premise: String(next.premiseId) });
      if (next.buildingId) search.set('building', String(next.buildingId));
      search.set('title', next.title);
      setParams(search);
    },
    [setParams],
  );

  const flatTitle = useCallback(
    (f: BuildingFlat) => {
      return withApartment(withoutApartment(title), f.premiseNumber);
    },
    [title],
  );

  const move = useCallback(
    (step: number) => {
      const next = walk[position + step];
      if (next) open({ premiseId: next.premiseId, buildingId, title: flatTitle(next) });
    },
    [walk, position, open, buildingId, flatTitle],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === 'PageDown') {
        event.preventDefault();
        move(1);
      } else if (event.key === 'PageUp') {
        event.preventDefault();
        move(-1);
      } else if (event.key === 'Escape' && document.activeElement !== lookupRef.current) {
        lookupRef.current?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move]);

  useEffect(() => {
    if (!premiseId) lookupRef.current?.focus();
  }, [premiseId]);

  const [notice, setNotice] = useState<string | null>(null);

  async function onChoose(hit: LookupHit) {
    setNotice(null);
    if (hit.kind === 'premise') {
      open({ premiseId: hit.premiseId, buildingId: hit.buildingId, title: hit.address });
      return;
    }
    // A whole building: start at its first flat that has meters.
    const all = await api.get<BuildingFlat[]>(`/metering/buildings/${hit.buildingId}/premises`);
    const first = all.find((f) => f.meters > 0);
    if (!first) {
      setNotice(t({ uk: `У будинку ${hit.address} немає лічильників`, en: `The building ${hit.address} has no meters` }));
      return;
    }
    open({ premiseId: first.premiseId, buildingId: hit.buildingId, title: withApartment(hit.address, first.premiseNumber) });
  }

  const logLine = (sending: Sending | null) => setLog((l) => [{ id: (l[0]?.id ?? 0) + 1, label: title || `#${premiseId}`, sending }, ...l].slice(0, 50));

  function onDone(outcome: FlatOutcome) {
    if (outcome.skipped) logLine(null);
    if (position >= 0 && position < walk.length - 1) move(1);
    else lookupRef.current?.focus();
  }

  return (
    <>
      <PageHeader
        title={t({ uk: 'Показники лічильників: прийом дзвінків', en: 'Meter readings: call-centre desk' })}
        subtitle={t({ uk: 'Усе з клавіатури: пошук, Enter, цифри, Enter…', en: 'All from the keyboard: search, Enter, digits, Enter…' })}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          <Stack gap="md">
            <PremiseLookup ref={lookupRef} onChoose={(hit) => void onChoose(hit)} />
            {notice && (
              <Text c="orange" role="status">
                {notice}
              </Text>
            )}
            {premiseId && (
              <Paper withBorder p="md">
                <Group justify="space-between" mb="sm" wrap="wrap">
                  <Title order={3} data-testid="desk-title">
                    {title || `#${premiseId}`}
                  </Title>
                  {walk.length > 0 && (
                    <Group gap="xs">
                      <Button variant="default" size="xs" leftSection={<IconArrowUp size={14} />} disabled={position <= 0} onClick={() => move(-1)} tabIndex={-1}>
                        <Kbd size="xs">PgUp</Kbd>
                      </Button>
                      <Badge variant="light" size="lg" data-testid="desk-position">
                        {t({ uk: `квартира ${position + 1} з ${walk.length}`, en: `flat ${position + 1} of ${walk.length}` })}
                      </Badge>
                      <Button variant="default" size="xs" rightSection={<IconArrowDown size={14} />} disabled={position >= walk.length - 1} onClick={() => move(1)} tabIndex={-1}>
                        <Kbd size="xs">PgDn</Kbd>
                      </Button>
                    </Group>
                  )}
                </Group>
                {flat?.unifiedNumber && (
                  <Text c="dimmed" size="sm" mb="sm">
                    {t({ uk: 'Єдиний рахунок', en: 'Unified account' })}: {flat.unifiedNumber}
                  </Text>
                )}
                {/* While the next flat loads the previous one's meters must not take the keys. */}
                {meters.loading ? (
                  <Loader size="sm" />
                ) : (
                  <DataState state={meters}>{(data) => <MeterEntry key={premiseId} meters={data} onSent={logLine} onDone={onDone} autoFocus />}</DataState>
                )}
              </Paper>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <Paper withBorder p="md">
            <Title order={5} mb="xs">
              {t({ uk: 'Щойно введено', en: 'Just entered' })}
            </Title>
            {log.length === 0 && <Text c="dimmed" size="sm">—</Text>}
            <Stack gap="xs" data-testid="desk-log">
              {log.map((line) => (
                <Stack key={line.id} gap={2}>
                  <Text size="sm" fw={500}>
                    {line.label}
                  </Text>
                  {line.sending === null ? (
                    <Badge size="xs" color="gray" variant="light">
                      {t({ uk: 'пропущено', en: 'skipped' })}
                    </Badge>
                  ) : (
                    line.sending.results.map(({ meter, values, result }) => (
                      <Stack key={meter.meterId} gap={0}>
                        <Group gap={6} wrap="wrap">
                          <Text size="xs">
                            {t({ uk: meter.serviceNameUk, en: meter.serviceNameEn })} № {meter.serial}: {values.join(' / ')}
                          </Text>
                          <ReadingStatus size="xs" status={result.status} stored />
                        </Group>
                        {result.status !== 'accepted' &&
                          result.messages
                            .filter((m) => m.level === 'reject' || m.level === 'review')
                            .map((m, i) => (
                              <Text key={i} size="xs" c={result.status === 'rejected' ? 'red' : 'orange'}>
                                {t({ uk: m.uk, en: m.en })}
                              </Text>
                            ))}
                      </Stack>
                    ))
                  )}
                </Stack>
              ))}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
