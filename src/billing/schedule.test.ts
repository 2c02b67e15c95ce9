import { describe, expect, it } from 'vitest';
import { PARALLEL_STEPS, takeNextStep } from './run';

describe('takeNextStep: which step a free worker takes', () => {
  it('while consumption is refreshed, skips the steps that read it', () => {
    const pending = ['metered', 'norm_even', 'area', 'heat', 'capacity'];
    expect(takeNextStep(pending, true)).toBe('area');
    expect(takeNextStep(pending, true)).toBe('capacity');
    expect(pending).toEqual(['metered', 'norm_even', 'heat']);
    // Nothing else left: the worker takes the next one and waits for the refresh.
    expect(takeNextStep(pending, true)).toBe('metered');
  });

  it('otherwise takes the steps in order', () => {
    const pending = ['metered', 'area', 'heat'];
    expect([takeNextStep(pending, false), takeNextStep(pending, false), takeNextStep(pending, false)]).toEqual(['metered', 'area', 'heat']);
    expect(takeNextStep(pending, false)).toBeUndefined();
  });

  it('a whole run taken during a refresh starts with every step that does not need it', () => {
    const pending = [...PARALLEL_STEPS];
    const taken: string[] = [];
    for (let name = takeNextStep(pending, true); name; name = takeNextStep(pending, true)) taken.push(name);
    expect(taken.slice(0, 2)).toEqual(['penalties_even', 'penalties_odd']);
    expect(taken.indexOf('fixed_account')).toBeLessThan(taken.indexOf('metered'));
    expect(taken.indexOf('area')).toBeLessThan(taken.indexOf('norm_even'));
    expect([...taken].sort()).toEqual([...PARALLEL_STEPS].sort());
  });
});
