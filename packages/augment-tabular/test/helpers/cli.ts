type RunGrowset = (
  argv: string[],
  options: { cwd: string },
) => Promise<{ code: number; stdout: string; stderr: string }>;

/**
 * Runs `growset <args>` in process with captured output (the CLI's `runGrowset`, imported by name
 * at run time). The CLI depends on this package, not the reverse: a static import would make this
 * package's type check walk every other package the CLI bundles.
 */
export async function growset(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const specifier: string = '@growset/cli';
  const { runGrowset } = (await import(specifier)) as { runGrowset: RunGrowset };
  const { code, stdout, stderr } = await runGrowset(args, { cwd });
  return { code, stdout, stderr };
}
