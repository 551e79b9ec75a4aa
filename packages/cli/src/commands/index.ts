import type { CommandDefinition, CommandEntry } from '../command.ts';

/** A command whose module (and its heavy dependencies: tfjs, Playwright, sharp) loads only when it runs. */
function lazy(name: string, summary: string, load: () => Promise<CommandDefinition>): CommandEntry {
  return { name, summary, load };
}

/**
 * Every `growset` command, in help order. `growset --help` lists them without loading any; a
 * test checks that each name and summary matches its module.
 */
export const commands: readonly CommandEntry[] = [
  lazy(
    'run',
    'run a pipeline module (a file or folder exporting definePipeline(...))',
    async () => (await import('./run.ts')).runCommand,
  ),
  lazy(
    'study',
    'learning curves on your data: more data vs regularization, augmentation, tuning, ensembles',
    async () => (await import('./study.ts')).studyCommand,
  ),
  lazy(
    'worker',
    'run queued study trials from Redis until stopped (growset study --queue on any machine)',
    async () => (await import('./worker.ts')).workerCommand,
  ),
  lazy(
    'report',
    'rebuild the HTML report (charts, gallery, verdicts) from a results.json',
    async () => (await import('./report.ts')).reportCommand,
  ),
  lazy(
    'scrape',
    'crawl a website into an ImageFolder (http or browser engine, polite and resumable)',
    async () => (await import('./scrape.ts')).scrapeCommand,
  ),
  lazy(
    'clean-csv',
    'clean a CSV: quarantine bad rows, validate, dedupe, handle missing values',
    async () => (await import('./clean-csv.ts')).cleanCsvCommand,
  ),
  lazy(
    'clean-images',
    'check an ImageFolder: quarantine broken images, normalize colour, drop duplicates',
    async () => (await import('./clean-images.ts')).cleanImagesCommand,
  ),
  lazy(
    'augment',
    'augment an ImageFolder with a JSON recipe (seeded, with lineage and quarantine)',
    async () => (await import('./augment.ts')).augmentCommand,
  ),
  lazy(
    'augment-preview',
    'write a PNG grid of an image and N augmented copies, to check a recipe by eye',
    async () => (await import('./augment-preview.ts')).augmentPreviewCommand,
  ),
  lazy(
    'augment-table',
    'resample a CSV table: SMOTE family, noise, mixup, over/under-sampling, bootstrap',
    async () => (await import('./augment-table.ts')).augmentTableCommand,
  ),
  lazy(
    'browse',
    'browse a dataset in a local data grid: images, rows, lineage, quarantine, study results',
    async () => (await import('./browse.ts')).browseCommand,
  ),
  lazy(
    'train',
    'train and evaluate a model on an ImageFolder or a CSV file (TensorFlow.js)',
    async () => (await import('./train.ts')).trainCommand,
  ),
];
