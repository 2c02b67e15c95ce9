import { describe, expect, it } from 'vitest';
import { runSteps, takeNextStep } from './run';

describe('takeNextStep: which step a free worker takes', () => {
  it('skips the steps whose prerequisites are pending or running', () => {
    const pending = ['consumption_odd', 'volume_even', 'volume_odd', 'area', 'heat', 'capacity'];
    // The even half of the refresh is running: the odd half and the steps that do not read
    // consumption are ready, those that read it are not.
    const unfinished = new Set(['consumption_even', ...pending]);
    expect(takeNextStep(pending, unfinished)).toBe('consumption_odd');
    expect(takeNextStep(pending, unfinished)).toBe('area');
    expect(takeNextStep(pending, unfinished)).toBe('capacity');
    // Nothing else is ready: the worker takes the first one and waits (for the refresh).
    expect(takeNextStep(pending, unfinished)).toBe('volume_even');
    expect(pending).toEqual(['volume_odd', 'heat']);
  });

  it('the steps that read consumption wait for both halves of the refresh', () => {
    const pending = ['volume_odd', 'heat', 'volume_even', 'area'];
    const unfinished = new Set(['consumption_odd', ...pending]);
    // The even half is done, the odd half still running: only what does not read consumption is ready.
    expect(takeNextStep(pending, unfinished)).toBe('area');
    unfinished.delete('area');
    // Nothing else is ready: the worker takes the first one and waits.
    expect(takeNextStep(pending, unfinished)).toBe('volume_odd');
    unfinished.delete('consumption_odd');
    expect(takeNextStep(pending, unfinished)).toBe('heat');
    expect(takeNextStep(pending, unfinished)).toBe('volume_even');
  });

  it('with nothing unfinished, takes the steps in order', () => {
    const pending = ['volume_even', 'area', 'heat'];
    const none = new Set<string>();
    expect([takeNextStep(pending, none), takeNextStep(pending, none), takeNextStep(pending, none)]).toEqual(['volume_even', 'area', 'heat']);
    expect(takeNextStep(pending, none)).toBeUndefined();
  });

  it('a whole run: both halves of the refresh first, then what does not read consumption', () => {
    const steps = runSteps(true);
    const pending = [...steps];
    const unfinished = new Set(steps);
    // Two workers start the two halves of the refresh; while they run, what is ready comes next.
    expect([takeNextStep(pending, unfinished), takeNextStep(pending, unfinished)]).toEqual(['consumption_even', 'consumption_odd']);
    const taken: string[] = [];
    for (let name = takeNextStep(pending, unfinished); name && !name.startsWith('volume'); name = takeNextStep(pending, unfinished)) {
      taken.push(name);
      unfinished.delete(name);
    }
    expect(taken.slice(0, 2)).toEqual(['penalties_even', 'penalties_odd']);
    expect(taken).toContain('area');
    expect(taken).not.toContain('heat');
    expect(taken).not.toContain('building_imbalance');
    expect(runSteps(false).some((n) => n.startsWith('consumption'))).toBe(false);
  });
});
