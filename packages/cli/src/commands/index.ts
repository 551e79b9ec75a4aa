import type { CommandDefinition } from '../command.ts';
import { augmentTableCommand } from './augment-table.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';

/** Every `growset` command, in help order. Packages add theirs here. */
export const commands: readonly CommandDefinition[] = [runCommand, augmentTableCommand, reportCommand];
