import { BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { DataState } from '../../components/DataState';

interface History {
  consumption: Array<{ period: string; zone: number; volume: string; estimated: boolean }>;
}

/** A meter's consumption by month (zones added up): measured and estimated bars, so a reviewer sees what is usual. */
export function ConsumptionChart({ meterId, unit }: { meterId: number; unit: string }) {
  const t = useT();
  const format = useFormat();
  const history = useApiGet<History>(`/metering/meters/${meterId}/history`);
  return (
    <DataState state={history}>
      {(data) => {
        const byPeriod = new Map<string, { period: string; measured: number; estimated: number }>();
        for (const c of data.consumption) {
          const row = byPeriod.get(c.period) ?? { period: c.period.slice(0, 7), measured: 0, estimated: 0 };
          if (c.estimated) row.estimated += Number(c.volume);
          else row.measured += Number(c.volume);
          byPeriod.set(c.period, row);
        }
        if (byPeriod.size === 0) {
          return <Text c="dimmed" size="sm">{t({ uk: 'Споживання ще не розраховувалось', en: 'No consumption computed yet' })}</Text>;
        }
        return (
          <BarChart
            h={180}
            data={[...byPeriod.values()]}
            dataKey="period"
            type="stacked"
            series={[
              { name: 'measured', label: t({ uk: `За показниками, ${unit}`, en: `Measured, ${unit}` }), color: 'blue.6' },
              { name: 'estimated', label: t({ uk: `Розрахункове, ${unit}`, en: `Estimated, ${unit}` }), color: 'gray.5' },
            ]}
            valueFormatter={(value) => format.number(value, 0)}
            withLegend
          />
        );
      }}
    </DataState>
  );
}
