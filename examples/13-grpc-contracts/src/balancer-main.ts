// The load balancer process (stage 10): the stage's public PORT, in front of the shop's
// replicas. src/start.ts starts it after the replicas, and tells it where they are:
//
//   REPLICAS=shop-1=http://127.0.0.1:4000,shop-2=http://127.0.0.1:4100 PORT=3000 node src/balancer-main.ts
//
// CHECK_MS sets how often each replica's /health is asked (500 ms unless set).

import { createLoadBalancer } from './adapters/load-balancer.ts';
import type { Replica } from './adapters/load-balancer.ts';
import { listen, stopOnSignal } from './adapters/process.ts';
import { parseNamedUrls } from './replicas.ts';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region balancer-main
const port = Number(process.env.PORT);
const replicas: Replica[] | undefined = parseNamedUrls(process.env.REPLICAS);
if (!Number.isInteger(port) || !replicas) {
  console.error('balancer-main.ts needs PORT and REPLICAS=name=url,name=url,... (src/start.ts sets them)');
  process.exit(1);
}
const balancer = createLoadBalancer({ replicas, checkEveryMs: Number(process.env.CHECK_MS) || 500 });
await balancer.start();
listen(
  'load balancer',
  balancer.server,
  port,
  `load balancer listening on http://127.0.0.1:${port}: round robin over ${replicas.map((r) => r.name).join(', ')} (${balancer.view().healthy} healthy); GET /ops/replicas`,
);
// #endregion balancer-main
stopOnSignal(balancer.server, async () => balancer.stop());
