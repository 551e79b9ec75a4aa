import type { CommandDefinition } from '../command.ts';
import { augmentCommand } from './augment.ts';
import { augmentPreviewCommand } from './augment-preview.ts';
import { augmentTableCommand } from './augment-table.ts';
import { cleanCsvCommand } from './clean-csv.ts';
import { cleanImagesCommand } from './clean-images.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { scrapeCommand } from './scrape.ts';
import { studyCommand } from './study.ts';
import { trainCommand } from './train.ts';

/** Every `growset` command, in help order. Packages add theirs here. */
export const commands: readonly CommandDefinition[] = [
  runCommand,
  augmentCommand,
  augmentPreviewCommand,
  scrapeCommand,
  augmentTableCommand,
  cleanCsvCommand,
  cleanImagesCommand,
  reportCommand,
  trainCommand,
  studyCommand,
];
