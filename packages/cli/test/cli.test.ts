import { describe, expect, it } from 'vitest';
import { runMain } from './helpers/run-main.ts';

// Each command's own tests are in <command>.test.ts (run, study, study-queue, worker, ...).
describe('growset main()', () => {
  it('prints general and per-command help', async () => {
    const general = await runMain(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/Usage: growset <command> \[options\]/);
    expect(general.stdout).toMatch(/^\s+run\s+run a pipeline module/m);
    const run = await runMain(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Usage: growset run <pipeline-module> \[--out DIR\] \[--seed N\] \[--quick\] \[--json\]/,
    );
    expect(run.stdout).toMatch(/--seed N\s+seed of every random choice \(default: 0\)/);
  });

  it('exits 2 naming an unknown command', async () => {
    const command = await runMain(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/Unknown command `frobnicate`/);
  });
});

describe('command registry', () => {
  it('lists commands without loading them, and each lazy entry matches its module', async () => {
    const { commands, resolveCommand } = await import('../src/index.ts');
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of commands) {
      const command = await resolveCommand(entry);
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    }
  });
});
