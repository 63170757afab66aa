// What the worker gives every task besides the database: built once by the composition root (cli).
import type { GitlabDeps } from '../gitlab/index.ts';
import { defineTask as defineEngineTask, type TaskDefinition } from '../jobs/index.ts';

export type TaskDeps = GitlabDeps;

/** A job kind of this application: the engine's definition with our deps. */
export function defineTask<P>(definition: TaskDefinition<P, TaskDeps>): TaskDefinition<P, TaskDeps> {
  return defineEngineTask(definition);
}
