/**
 * Worker thread entry: reads and profiles whole files into a partial Usage. The main thread
 * walks the tree, hands out paths in small batches, and merges what every worker returns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TailorError, type Problem } from '../errors.js';
import { fileBatches } from '../ingest/files.js';
import { Catalog } from './catalog.js';
import type { CallFilter } from './filter.js';
import { Profiler } from './profiler.js';

export type ToWorker = { readonly type: 'files'; readonly paths: readonly string[] } | { readonly type: 'finish' };
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'problem'; readonly problem: Problem }
  | { readonly type: 'progress'; readonly files: number; readonly records: number; readonly bytes: number }
  | { readonly type: 'done'; readonly usage: Profiler['usage'] };

// workerData is a structured clone: the filter's RegExps and Dates arrive as RegExps and Dates.
if (parentPort && workerData?.iamTailorWorker) {
  const port = parentPort;
  const post = (m: FromWorker): void => port.postMessage(m);
  const onProblem = (problem: Problem): void => post({ type: 'problem', problem });
  const profiler = new Profiler(new Catalog(), workerData.filter as CallFilter, onProblem);
  port.on('message', (m: ToWorker) => {
    void (async () => {
      if (m.type === 'finish') {
        profiler.usage.files.sort();
        post({ type: 'done', usage: profiler.usage });
        return;
      }
      let records = 0;
      let bytes = 0;
      for (const path of m.paths) {
        try {
          for await (const batch of fileBatches(path, onProblem)) {
            await profiler.addBatch(batch, 'files');
            if (!batch.partial) profiler.recordFile(path);
            records += batch.records.length;
            bytes += batch.bytes;
          }
        } catch (e) {
          if (!(e instanceof TailorError)) throw e;
          onProblem({ code: e.code, message: e.message, place: e.place });
        }
      }
      post({ type: 'progress', files: m.paths.length, records, bytes });
    })();
  });
  post({ type: 'ready' });
}
