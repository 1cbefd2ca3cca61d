import { Worker } from 'node:worker_threads';
import { renderPolicy } from '../policy/document.js';
import type { FromPatchWorker, ToPatchWorker } from './patch-worker.js';
import { patchName, rolePatch, type PatchInput } from './unified.js';
import { workerScript } from '../worker-script.js';

// Roles per message: one message per role cost more in posting than in diffing.
const BATCH = 16;

/**
 * Unified diffs made on a worker thread, handed each changed role as soon as it is compared.
 * Whatever the worker did not deliver (it failed, or there is no compiled worker) is made here,
 * so the text does not depend on it.
 */
export class PatchWorker {
  private readonly done = new Map<PatchInput, string>();
  private readonly sent: PatchInput[] = [];
  private batch: ToPatchWorker['roles'][number][] = [];
  private unanswered = 0;
  private readonly stopped: Promise<void>;

  private constructor(private readonly worker: Worker) {
    // Until someone waits for its diffs, the worker does not keep the process alive (a run that
    // fails after starting it still ends).
    worker.unref();
    worker.on('message', (m: FromPatchWorker) => {
      this.unanswered--;
      m.patches.forEach((patch, i) => {
        const role = this.sent[m.first + i];
        if (role) this.done.set(role, patch);
      });
    });
    // A worker that fails leaves its roles to this thread.
    this.stopped = new Promise((resolve) => {
      worker.once('exit', () => resolve());
      worker.once('error', () => resolve());
    });
  }

  /** A worker, or undefined when running from TypeScript sources. */
  static start(): PatchWorker | undefined {
    const script = workerScript('./patch-worker.js', import.meta.url);
    return script ? new PatchWorker(new Worker(script, { workerData: { iamTailorPatches: true } })) : undefined;
  }

  add(role: PatchInput): void {
    this.sent.push(role);
    this.batch.push({ name: patchName(role), current: renderPolicy(role.current), proposed: renderPolicy(role.proposed) });
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (!this.batch.length) return;
    this.worker.postMessage({ first: this.sent.length - this.batch.length, roles: this.batch } satisfies ToPatchWorker);
    this.unanswered++;
    this.batch = [];
  }

  /** Waits for the diffs asked for so far; the function gives each role's. */
  async finish(): Promise<(role: PatchInput) => string> {
    this.flush();
    this.worker.ref();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.unanswered > 0) return;
        this.worker.off('message', check);
        resolve();
      };
      this.worker.on('message', check);
      void this.stopped.then(resolve);
      check();
    });
    await this.worker.terminate();
    return (role) => this.done.get(role) ?? rolePatch(role);
  }
}
