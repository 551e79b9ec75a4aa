import type { GalleryEntry, GalleryImage } from '../gallery.ts';
import { browseLink, html, type SafeHtml } from '../html.ts';

function picture(image: GalleryImage, label: string, className: string, id: string | undefined): SafeHtml {
  const body = image.dataUri
    ? browseLink('sample', id, html`<img src="${image.dataUri}" alt="${image.alt}">`)
    : html`<div class="missing-image" role="img" aria-label="${image.alt} (not available: ${image.problem ?? 'unknown'})">${image.path}: ${image.problem ?? 'not available'}</div>`;
  return html`<figure class="${className}">${body}<figcaption>${label}</figcaption></figure>`;
}

/**
 * Originals beside their augmented copies, images inlined as data URIs. An entry that names its
 * sample (`id`) marks its images so that `growset browse` links them to the sample's page.
 */
export function gallerySection(entries: readonly GalleryEntry[]): SafeHtml {
  if (entries.length === 0)
    return html`<p class="skipped">The results hold no gallery (context.gallery).</p>`;
  return html`<div class="gallery">${entries.map(
    (e) =>
      html`<div class="gallery-entry"><h3>${e.title}</h3>${e.caption ? html`<p class="note">${e.caption}</p>` : ''}<div class="gallery-row">${picture(e.original, 'original', 'original', e.id)}${e.augmented.map((a, i) => picture(a, `augmented ${i + 1}`, 'augmented', e.id))}</div></div>`,
  )}</div>`;
}
