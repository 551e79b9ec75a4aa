import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a vega-lite spec to an SVG string in Node, headless (no DOM, no canvas, no network):
 * vega-lite compiles to vega, vega lays out the scene, the SVG string renderer writes it.
 * `idPrefix` makes the SVG's internal ids (clip paths, gradients) unique and stable: see `prefixIds`.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Renames every id in the SVG to `<prefix><n>` in order of appearance, and the references to it.
 * Vega numbers clip paths with a process-wide counter, so without this the same chart would get
 * different ids on each render, and two charts of one page could collide.
 */
function prefixIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const [, id] of svg.matchAll(/\bid="([^"]+)"/g))
    if (!names.has(id!)) names.set(id!, `${prefix}${names.size + 1}`);
  const rename = (id: string) => names.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${rename(id)}"`);
}
