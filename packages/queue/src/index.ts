export {
  CRAWL_KEY_SPACE,
  CRAWL_RETENTION_SECONDS,
  crawlKeys,
  RedisCrawlFrontier,
  type RedisCrawlFrontierOptions,
  redisCrawlFrontier,
} from './internals/crawl/redis-frontier.ts';
export { checkRedisUrl, connectRedis, KEY_PREFIX, redactRedisUrl } from './internals/redis.ts';
export {
  hashSetup,
  type QueueRunnerOptions,
  queueTrialRunner,
  RETENTION_SECONDS,
  runStudyWorker,
  type StudyWorkerOptions,
  type StudyWorkerSummary,
  TRIALS_QUEUE,
  type TrialJobData,
  type TrialJobResult,
  trialJobId,
} from './internals/study-queue.ts';
