import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * O3, S8: with VISITPAY_WORKERS > 1 a scrape of /metrics reaches whichever worker the primary hands
 * the connection to, and each worker counts only its own requests. So a worker answers the sum
 * over all workers instead: it asks its primary, which collects every worker's registry through
 * prom-client's AggregatorRegistry and sends the text back.
 */

const ASK = 'visitpay:cluster-metrics';
const ANSWER = 'visitpay:cluster-metrics-answer';
const PATIENCE_MS = 6_000;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers the workers' requests for the cluster's metrics. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<Ask>) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: ANSWER, id, text } satisfies Answer),
      (error: unknown) =>
        worker.isConnected() && worker.send({ type: ANSWER, id, error: String(error) } satisfies Answer),
    );
  });
}

let nextId = 0;
const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();

/**
 * In a cluster worker: lets the primary's aggregator collect `registry` (prom-client answers for
 * it), and listens for the primary's answers. Once per process, when its metrics are created.
 */
export function joinClusterMetrics(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries(registry);
  new AggregatorRegistry();
  process.on('message', (message: Partial<Answer>) => {
    if (message?.type !== ANSWER || typeof message.id !== 'number') return;
    const request = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) request?.resolve(message.text);
    else request?.reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
  });
}

/** This process's metrics text: its own registry's, or in a cluster worker the sum over all workers. */
export function metricsText(registry: Registry): Promise<string> {
  if (!cluster.isWorker) return registry.metrics();
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('cluster metrics: the primary did not answer in time'));
    }, PATIENCE_MS);
    waiting.set(id, {
      resolve: (text) => {
        clearTimeout(timer);
        resolve(text);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    process.send?.({ type: ASK, id } satisfies Ask);
  });
}
