import type { Command } from 'commander';
import { userCommands } from '../auth/cli';
import { billingCommands } from '../billing/cli';
import { registryCommands } from '../registry/cli';
import { seedCommand } from '../registry/seed/cli';
import { importCommands } from '../onboarding/cli';
import { meteringCommands } from '../metering/cli';
import { paymentsCommands } from '../payments/cli';
import type { OpenContext } from '../server/context';

/** Each domain adds its commands here (seed, user, import, billing, readings…). */
export const cliCommands: Array<(program: Command, openContext: OpenContext) => void> = [
  userCommands,
  billingCommands,
  registryCommands,
  seedCommand,
  importCommands,
  meteringCommands,
  paymentsCommands,
];
