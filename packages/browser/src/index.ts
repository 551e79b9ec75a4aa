export { BrowserNotFoundError } from './internals/errors.ts';
export {
  CHROMIUM_FLAGS,
  type FindChromiumOptions,
  type FoundChromium,
  findChromium,
  isExecutableFile,
} from './internals/find-chromium.ts';
export { type LaunchChromiumOptions, type LaunchedChromium, launchChromium } from './internals/launch.ts';
