import { z } from 'zod';
import { parseIsoDate } from '../shared/period';

/** A real calendar date 'YYYY-MM-DD': 2026-02-30 and 2026-13-01 are refused with a 400, not stored. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => parseIsoDate(s).ok && s >= '1900-01-01' && s <= '2199-12-31', 'no such date (YYYY-MM-DD, 1900–2199)');
