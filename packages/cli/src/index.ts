export { type CapturedRun, runGrowset } from './capture.ts';
export {
  type CommandDefinition,
  type CommandEntry,
  type CommandIO,
  type CommandResult,
  commandHelp,
  defineCommand,
  GLOBAL_OPTIONS,
  intOption,
  type LazyCommand,
  listOption,
  numberOption,
  type OptionSpec,
  type ParsedCommandArgs,
  parseCommandArgs,
  resolveCommand,
  stringOption,
  UsageError,
} from './command.ts';
export { commands } from './commands/index.ts';
export { loadPipeline } from './commands/run.ts';
export { type MainOptions, main } from './main.ts';
export { createProgressRenderer, type ProgressRenderer } from './progress.ts';
