import { browserEngineDefinition } from './browser-engine.ts';
import { httpEngineDefinition } from './http-engine.ts';
import { EngineRegistry } from './registry.ts';

/**
 * The engines a crawl config may name. To add one, write its {@link EngineDefinition} beside
 * these and list it here; the config schema, `--engine`, `auto` and the conformance suite follow.
 */
export const engines = new EngineRegistry([httpEngineDefinition, browserEngineDefinition]);
