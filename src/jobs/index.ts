export {
  backoffMs,
  claimJobs,
  completeJob,
  countJobs,
  DEFAULT_MAX_ATTEMPTS,
  deferJob,
  type EnqueueOptions,
  enqueue,
  failJob,
  listJobs,
  pauseGroup,
  resumeGroup,
  retryDeadJob,
} from './queue.ts';
export {
  defineTask,
  LeaseLost,
  PauseJob,
  PermanentFailure,
  requireDeps,
  type TaskContext,
  type TaskDefinition,
  WaitUntil,
} from './task.ts';
export { Worker, type WorkerOptions } from './worker.ts';
