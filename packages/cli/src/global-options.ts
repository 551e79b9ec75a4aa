/** One command-line option, as `parseArgs` takes it plus what help shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder in help, e.g. `DIR`. */
  value?: string;
  description: string;
  /** Shown in help. */
  default?: string;
  multiple?: boolean;
}

/** Flags every command takes. */
export const GLOBAL_OPTIONS: { [name: string]: OptionSpec } = {
  json: {
    type: 'boolean',
    description: 'print one JSON object summarizing the run as the last line of stdout',
  },
  verbose: { type: 'boolean', short: 'v', description: 'debug logging and stack traces on errors' },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};
