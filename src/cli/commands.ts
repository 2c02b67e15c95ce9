import type { Command } from 'commander';

/** Each domain adds its commands here (seed, user, import, billing, readings…). */
export const cliCommands: Array<(program: Command) => void> = [];
