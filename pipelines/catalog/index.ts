import { join } from 'node:path';
import { augmentImages, type RecipeSpec } from '@growset/augment-image';
import { checkImages, cleaningSummary, dedupeImages, summaryToJson } from '@growset/clean';
import {
  definePipeline,
  formatRunSummary,
  type ImagePayload,
  type JsonObject,
  pipeline,
  type RunSummary,
  readImageFolder,
  type Sample,
  writeImageFolder,
} from '@growset/core';
import { startFixtureSite } from '@growset/fixtures';
import { runStudyJob, studyJobSummary } from '@growset/report';
import { type CrawlConfig, crawl, findChromium } from '@growset/scrape';
import { DIGITS_RECIPE, standardVariants, studyDataFromSamples } from '@growset/study';

/**
 * The main job (`npm start`): a small online catalog of real handwritten digits is served on
 * 127.0.0.1; growset scrapes it (Chromium when one is found, plain HTTP otherwise), cleans what it
 * got (undecodable images, exact duplicates), grows it with augmentation, and runs a learning-curve
 * study of what helps an MLP most: more data, L2, dropout, augmentation (fixed copies or fresh
 * every epoch), tuned hyperparameters, bagging, or a simple kNN.
 * Everything lands in one report.html.
 */
export default definePipeline({
  name: 'catalog',
  description: 'serve a digit catalog on 127.0.0.1, scrape it, clean, augment, study, report',
  async run(ctx) {
    const quick = ctx.quick;
    const runs: RunSummary[] = [];
    const log = (message: string) => ctx.logger.info(message);

    // 1. The website: real MNIST digits, listing pages, item pages, robots.txt, a broken image,
    //    labels some pages render only with JavaScript, items reachable under two URLs.
    // The catalog is the data under study and stays the same whatever `--seed`: the seed varies how
    // it is studied (test split, training subsets, augmentations, initial weights), so two seeds
    // must reach the same conclusions.
    const site = await startFixtureSite({
      items: quick ? 200 : 700,
      seed: 0,
      slowMs: 40,
      crawlDelay: 0.01,
    });
    let crawlSummary: JsonObject;
    let imagesDir: string;
    let engine: 'browser' | 'http';
    try {
      const chromium = findChromium();
      engine = chromium ? 'browser' : 'http';
      log(
        chromium
          ? `Scraping ${site.url} with the browser engine (Chromium at ${chromium.path})`
          : `Scraping ${site.url} with the http engine: no Chromium found (set GROWSET_CHROMIUM or install Debian's chromium); labels rendered only by JavaScript will be reported missing`,
      );
      const config: CrawlConfig = {
        start: [site.url],
        engine,
        allowHosts: ['127.0.0.1'],
        allowPrivateNetwork: true,
        follow: ['a.next', 'a.item'],
        item: {
          urlPattern: '/item/',
          fields: {
            sku: { selector: '.item-id' },
            label: { selector: '.label' },
            image: { selector: 'img.photo', attr: 'src', asset: 'image' },
          },
          // The catalog's own item number identifies an item (and names its sample), not the URL:
          // the site's port changes from run to run, the ids and the study's splits must not.
          key: 'sku',
        },
        concurrency: engine === 'browser' ? 4 : 8,
        maxPages: 5000,
      };
      const crawled = await crawl(config, {
        out: join(ctx.out, 'scrape'),
        fresh: true,
        signal: ctx.signal,
        logger: ctx.logger,
        onProgress: ctx.onProgress,
      });
      if (crawled.run) runs.push(crawled.run);
      crawlSummary = {
        ...crawled.summary,
        site: site.url,
        itemsOnSite: site.model.items.length,
      } as unknown as JsonObject;
      imagesDir = crawled.summary.imagesDir;
    } finally {
      await site.close();
    }

    // 2. Clean: decodable, sane sizes, grey 8-bit pixels; exact duplicates dropped.
    //    (Near-duplicate hashing is left off: on 28x28 digits dHash calls 2% of distinct digits
    //    near copies at distance 2.)
    const check = checkImages({ output: 'png' });
    const dedupe = dedupeImages({ near: false });
    const cleanDir = join(ctx.out, 'clean');
    const cleaned = await pipeline(
      readImageFolder(imagesDir),
      check,
      dedupe,
      writeImageFolder(cleanDir),
    ).collect({
      name: 'clean',
      seed: ctx.seed,
      signal: ctx.signal,
      logger: ctx.logger,
      onProgress: ctx.onProgress,
      quarantine: join(ctx.out, 'clean-quarantine'),
    });
    runs.push(cleaned.summary);
    const cleaning = summaryToJson(cleaningSummary(cleaned.summary, [check, dedupe]));

    // 3. Grow: two augmented copies per clean image (affine warps + elastic distortions), with
    //    lineage, as a dataset of its own. The study below augments inside each trial instead.
    const grownDir = join(ctx.out, 'grown');
    const grown = await pipeline(
      readImageFolder(cleanDir),
      augmentImages({ recipe: DIGITS_RECIPE as RecipeSpec, copies: 2, keepOriginal: true, output: 'png' }),
      writeImageFolder(grownDir),
    ).run({
      name: 'grow',
      seed: ctx.seed,
      signal: ctx.signal,
      logger: ctx.logger,
      onProgress: ctx.onProgress,
    });
    runs.push(grown);

    // 4. Study what helps.
    const { data, excluded } = await studyDataFromSamples(
      cleaned.items as Sample<ImagePayload>[] as Sample<unknown>[],
      {
        name: 'scraped digits',
      },
    );
    const base = {
      model: 'mlp',
      hidden: [64],
      epochs: 'auto',
      batchSize: 32,
      learningRate: 0.005,
      earlyStopping: { patience: 5 },
    };
    // A smaller random search (4 candidates, 2 folds: 9 fits a trial instead of 25) pays for five
    // seeds and a 250-digit test set, which the paired verdicts need to be stable across seeds.
    const variants = standardVariants(
      quick
        ? ['baseline', 'l2', 'dropout', 'augment', 'knn', 'majority']
        : ['baseline', 'l2', 'dropout', 'augment', 'augment-epoch', 'tuned', 'bagging', 'knn', 'majority'],
      { task: 'image', base, recipe: DIGITS_RECIPE, copies: 2, ensembleSize: 3 },
    ).map((v) =>
      v.name === 'tuned'
        ? {
            ...v,
            description: (v.description ?? '').replace('8 candidates, 3-fold CV', '4 candidates, 2-fold CV'),
            model: { ...v.model, candidates: 4, folds: 2 },
          }
        : v,
    );
    const quarantine = runs.flatMap((r) =>
      r.stages.flatMap((s) =>
        Object.entries(s.quarantinedBy).map(
          ([reason, count]) => ({ stage: `${r.run}/${s.stage}`, reason, count }) as JsonObject,
        ),
      ),
    );
    const job = await runStudyJob(
      data,
      {
        name: 'scraped digits catalog',
        out: join(ctx.out, 'study'),
        testSize: quick ? 50 : 250,
        trainSizes: quick ? [25, 50, 100] : [25, 50, 100, 200, 400],
        seeds: quick ? 2 : 5,
        studySeed: ctx.seed,
        variants,
        targetAccuracy: 0.9,
        context: {
          scrape: { ...crawlSummary, engine },
          cleaning,
          quarantine,
          grown: { dir: grownDir, images: grown.out, created: grown.created },
          excludedFromStudy: excluded.length,
        },
      },
      { signal: ctx.signal, logger: ctx.logger, onProgress: ctx.onProgress },
    );

    const text = [
      `Scraped ${site.url} with the ${engine} engine: ${String(crawlSummary.items)} items from ${String(crawlSummary.pagesFetched)} pages (${String(crawlSummary.quarantined)} quarantined, ${String(crawlSummary.duplicates)} duplicates).`,
      `Cleaned to ${cleaned.items.length} images (${cleaned.summary.quarantined} quarantined, ${cleaned.summary.filtered} filtered); grew them to ${grown.out} with augmentation in ${grownDir}.`,
      '',
      ...runs.map((r) => `[${r.run}]\n${formatRunSummary(r)}`),
      '',
      job.text,
    ].join('\n');
    return {
      summary: studyJobSummary(job, {
        engine,
        scraped: crawlSummary.items ?? 0,
        cleaned: cleaned.items.length,
        grown: grown.out,
        quarantined: runs.reduce((a, r) => a + r.quarantined, 0),
      }),
      text,
      runs,
    };
  },
});
