import { describe, expect, it } from 'vitest';
import { runSteps, takeNextStep } from './run';

describe('takeNextStep: which step a free worker takes', () => {
  it('skips the steps whose prerequisites are pending or running', () => {
    const pending = ['consumption_odd', 'metered_even', 'metered_odd', 'area', 'heat', 'capacity'];
    // The even half of the refresh is running: nothing that reads consumption is ready.
    const unfinished = new Set(['consumption_even', ...pending]);
    expect(takeNextStep(pending, unfinished)).toBe('area');
    expect(takeNextStep(pending, unfinished)).toBe('capacity');
    // Nothing else is ready: the worker takes the first one and waits (for the even half).
    expect(takeNextStep(pending, unfinished)).toBe('consumption_odd');
    expect(pending).toEqual(['metered_even', 'metered_odd', 'heat']);
  });

  it('a half of the premises is charged as soon as its half of the refresh is done', () => {
    const pending = ['metered_odd', 'norm_odd', 'heat', 'metered_even', 'norm_even'];
    const unfinished = new Set(['consumption_odd', ...pending]);
    expect(takeNextStep(pending, unfinished)).toBe('metered_even');
    unfinished.delete('metered_even');
    expect(takeNextStep(pending, unfinished)).toBe('norm_even');
    // The odd half still running: heat waits for both halves, the odd steps for theirs.
    unfinished.delete('norm_even');
    expect(takeNextStep(pending, unfinished)).toBe('metered_odd');
  });

  it('with nothing unfinished, takes the steps in order', () => {
    const pending = ['metered_even', 'area', 'heat'];
    const none = new Set<string>();
    expect([takeNextStep(pending, none), takeNextStep(pending, none), takeNextStep(pending, none)]).toEqual(['metered_even', 'area', 'heat']);
    expect(takeNextStep(pending, none)).toBeUndefined();
  });

  it('a whole run: every step comes after what it waits for, and the refresh halves in order', () => {
    const steps = runSteps(true);
    const pending = [...steps];
    const unfinished = new Set(steps);
    const taken: string[] = [];
    // One worker refreshes; the other takes what is ready, in order, finishing each at once.
    expect(takeNextStep(pending, unfinished)).toBe('consumption_even');
    for (let name = takeNextStep(pending, unfinished); name && name !== 'consumption_odd'; name = takeNextStep(pending, unfinished)) {
      taken.push(name);
      unfinished.delete(name);
    }
    expect(taken.slice(0, 2)).toEqual(['penalties_even', 'penalties_odd']);
    expect(taken).toContain('area');
    expect(taken.some((n) => n.startsWith('metered') || n.startsWith('norm') || n === 'heat')).toBe(false);
    expect(steps.indexOf('consumption_odd')).toBeGreaterThan(steps.indexOf('consumption_even'));
    expect(runSteps(false).some((n) => n.startsWith('consumption'))).toBe(false);
  });
});
