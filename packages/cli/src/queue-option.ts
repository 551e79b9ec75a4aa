import { errorMessage } from '@growset/core';
import { checkRedisUrl } from '@growset/queue';
import { type ParsedCommandArgs, stringOption, UsageError } from './command.ts';

/**
 * The `--queue redis://...` option of `study`, `scrape` and `worker`: the URL, checked (scheme,
 * host, port, database), or `undefined` when absent. A bad URL is bad usage (exit 2); the message
 * never repeats a password.
 */
export function queueOption(args: ParsedCommandArgs): string | undefined {
  const url = stringOption(args, 'queue');
  if (url === undefined) return undefined;
  try {
    checkRedisUrl(url);
  } catch (error) {
    throw new UsageError(`--queue: ${errorMessage(error)}`, { cause: error });
  }
  return url;
}
