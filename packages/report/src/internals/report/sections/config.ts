import type { StudyResults } from '../../results/types.ts';
import { compactJson, count, duration, percent } from '../format.ts';
import { html, type SafeHtml, table } from '../html.ts';

/** The study's configuration, its variants' specs, the versions and the backend. */
export function configSection(results: StudyResults): SafeHtml {
  const c = results.config;
  const facts: [string, string][] = [
    ['name', results.name],
    ['created by', results.createdBy],
    ['dataset', c.dataset],
    ['task', c.task],
    ['classes', c.classes.join(', ')],
    ['originals', count(c.originals)],
    ['test set', `${count(c.testSize)} originals (${count(results.testIds.length)} ids recorded)`],
    ['training sizes', c.trainSizes.map(count).join(', ')],
    ['seeds', c.seeds.join(', ')],
    ['study seed', String(c.studySeed)],
    ['target accuracy', c.targetAccuracy === null ? 'none' : percent(c.targetAccuracy)],
    ['validation fraction', percent(c.validationFraction, 0)],
    ['workers', String(c.workers)],
    ['backend', results.backend],
    ['wall time', duration(results.wallTimeMs)],
  ];
  const variants = c.variants.map((v) => [
    html`${v.name}${v.baseline ? html` <strong>(baseline)</strong>` : ''}`,
    html`${v.description ?? ''}`,
    html`<pre>${compactJson(v.model)}</pre>`,
    html`${v.augment ? html`<pre>${compactJson(v.augment)}</pre>` : 'none'}`,
  ]);
  const versions = Object.entries(results.versions).sort(([a], [b]) => a.localeCompare(b));
  return html`${table(['setting', 'value'], facts, { className: 'kv' })}
<h3>Variants</h3>
${variants.length > 0 ? html`<div class="wide">${table(['variant', 'what it is', 'model', 'augmentation'], variants)}</div>` : html`<p class="skipped">No variants in the configuration.</p>`}
<h3>Versions</h3>
${versions.length > 0 ? table(['package', 'version'], versions, { className: 'kv' }) : html`<p class="skipped">No versions recorded.</p>`}`;
}
