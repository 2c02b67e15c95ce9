/** The scales a city can be seeded at: how many premises, accounts, providers and streets. */
import { SCALE_NAMES, type ScaleName } from '../providers';

export { SCALE_NAMES, type ScaleName };

export interface ScaleSpec {
  premises: number;
  accounts: number;
  providers: number;
  /** How many streets of the bundled list are used. */
  streets: number;
}

// Vinnytsia's ratio (1,030,000 accounts over 170,000 premises) holds at every scale.
const accountsFor = (premises: number) => Math.round((premises * 1_030_000) / 170_000);

export const SCALES: Record<ScaleName, ScaleSpec> = {
  tiny: { premises: 200, accounts: accountsFor(200), providers: 10, streets: 12 },
  demo: { premises: 2_000, accounts: accountsFor(2_000), providers: 16, streets: 60 },
  town: { premises: 20_000, accounts: accountsFor(20_000), providers: 28, streets: 300 },
  vinnytsia: { premises: 170_000, accounts: 1_030_000, providers: 45, streets: 10_000 },
};

export function isScale(s: string): s is ScaleName {
  return (SCALE_NAMES as readonly string[]).includes(s);
}
