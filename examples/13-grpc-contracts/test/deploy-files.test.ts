// compose.yaml, deploy/ and k8s/, checked without Docker or a cluster: parsed, and held
// against the code. Every service has a health check and a restart policy (compose) or
// readiness and liveness probes (k8s) on paths the services really serve; every
// environment variable handed to a service is one the code reads, and every one a service
// requires is handed to it; names refer to things that exist (Services, the ConfigMap, the
// Secret, compose services, nginx's upstream). What this cannot tell is whether Docker and
// Kubernetes accept and run them (where kubectl is installed, `kubectl kustomize` at least
// renders them): see the chapter for what was run and what was not.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';

const stage = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(stage, file), 'utf8');
// (the parsed YAML is checked by the assertions themselves, so it is typed loosely)
type Obj = Record<string, any>;

// --- what the code reads and serves ---------------------------------------------------------
const sources = (dir: string): string[] =>
  readdirSync(join(stage, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
const code = Object.fromEntries(sources('src').map((file) => [file, read(file)]));
const names = (text: string) => [...text.matchAll(/[A-Z][A-Z0-9_]+/g)].map((m) => m[0]);

// Every name read from process.env anywhere in src/: process.env.NAME, process.env[name]
// through a table of names, `const { A, B } = process.env`, requireEnv('x', ['A', 'B']).
function envReadBy(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) found.add(m[1]!);
  for (const m of text.matchAll(/const \{([^}]+)\} = process\.env/g)) names(m[1]!).forEach((n) => found.add(n));
  for (const m of text.matchAll(/requireEnv\('[^']+', \[([^\]]+)\]\)/g)) names(m[1]!).forEach((n) => found.add(n));
  for (const m of text.matchAll(/\['\w+', '([A-Z][A-Z0-9_]*)'\]/g)) found.add(m[1]!); // app.ts's resilience table
  return found;
}
const READ = new Set(Object.values(code).flatMap((text) => [...envReadBy(text)]));

// What a service's main file insists on: requireEnv's list, or the names it checks itself
// ("A or B" is one need: "A|B").
function required(script: string): string[] {
  const text = code[script];
  assert.ok(text, `no ${script}`);
  const list = /requireEnv\('[^']+', \[([^\]]+)\]\)/.exec(text) ?? /needs ([A-Z_, ]+(?:and [A-Z_]+(?: or [A-Z_]+)?)?)/.exec(text);
  assert.ok(list, `${script} says nowhere which variables it needs`);
  return [...list[1]!.replace(/([A-Z_]+) or ([A-Z_]+)/g, '$1|$2').matchAll(/[A-Z][A-Z0-9_|]+/g)].map((m) => m[0]);
}
const satisfied = (need: string, given: Iterable<string>) => need.split('|').some((name) => [...given].includes(name));

// The paths a GET is answered on, by any service: route strings in the handlers.
const SERVED = new Set(
  Object.values(code).flatMap((text) => [
    ...[...text.matchAll(/'GET (\/[a-z/-]*)'/g)].map((m) => m[1]!),
    ...[...text.matchAll(/method === 'GET' && (?:url\.pathname|path|req\.url) === '(\/[a-z/-]*)'/g)].map((m) => m[1]!),
    ...[...text.matchAll(/req\.method === 'GET' && req\.url === '(\/[a-z/-]*)'/g)].map((m) => m[1]!),
  ]),
);

describe('what the code reads and serves (the ground truth of the tests below)', () => {
  it('finds the environment and the health paths', () => {
    for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'BROKER_URL', 'PAYMENTS_URL', 'INVENTORY_URL', 'NOTIFICATIONS_URL', 'ORCHESTRATOR_URL', 'SAGA_GIVE_UP_MS']) {
      assert.ok(READ.has(name), `${name} is read somewhere in src/`);
    }
    assert.ok(!READ.has('DATABASE_PORT'), 'DATABASE_PORT is gone since stage 12');
    assert.ok(SERVED.has('/health') && SERVED.has('/ready'), [...SERVED].join(', '));
    assert.deepEqual(required('src/notifications-main.ts'), ['PORT', 'DATABASE_URL', 'BROKER_URL']);
    assert.deepEqual(required('src/main.ts'), ['DATABASE_URL', 'PAYMENTS_URL', 'INVENTORY_URL', 'NOTIFICATIONS_URL', 'ORCHESTRATOR_URL', 'WORKER_URLS']);
    assert.deepEqual(required('src/worker-main.ts'), ['PORT', 'DATABASE_URL']);
  });
});

// --- compose.yaml ---------------------------------------------------------------------------
const compose = parse(read('compose.yaml'), { merge: true }) as Obj;
const services = compose.services as Record<string, Obj>;
const scriptOf = (command: unknown) => (Array.isArray(command) && command[0] === 'node' ? String(command[1]) : undefined);
const appServices = Object.entries(services).filter(([, s]) => scriptOf(s.command));
// The URLs in a setting: X_URL holds one, X_URLS a list of name=url (WORKER_URLS); a
// variable with a default (${BROKER_URL:-mqtt://...}) is read as its default.
function urlsIn(variable: string, value: string): URL[] {
  if (variable.endsWith('_URL')) return [new URL(value.replace(/\$\{\w+:-([^}]*)\}/g, '$1').replace(/\$\{[^}]+\}/g, 'x'))];
  if (variable.endsWith('_URLS')) return value.split(',').map((entry) => new URL(entry.split(/=(.*)/s)[1] ?? ''));
  return [];
}

describe('compose.yaml', () => {
  it('validates against the Compose Specification\'s JSON schema (scripts/ci/compose-spec/)', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../scripts/ci/compose-spec/compose-spec.json', import.meta.url), 'utf8')) as Obj;
    // validateSchema off: the schema names its meta-schema by an https:// address, which Ajv
    // knows by its http:// one (draft-07 all the same)
    const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);
    // with the merge keys (<<) resolved, as Compose does before it validates
    assert.ok(validate(compose), JSON.stringify(validate.errors, null, 1));
    // the schema does refuse what Compose would: a misspelt key, a wrong type
    assert.equal(validate({ services: { shop: { image: 'x', restrat: 'always' } } }), false, 'a misspelt key');
    assert.equal(validate({ services: { shop: { image: 'x', depends_on: 5 } } }), false, 'a wrong type');
  });

  it('has PostgreSQL 15, Mosquitto, NATS, Redis, nginx and the seven kinds of service (no balancer process: the gateway reaches the copies by name)', () => {
    assert.match(services.postgres?.image, /^postgres:15\b/);
    assert.match(services.mosquitto?.image, /^eclipse-mosquitto:2\b/);
    assert.match(services.nats?.image, /^nats:2\./);
    assert.ok(services.nats?.command.includes('--jetstream'), 'NATS with JetStream');
    assert.match(services.redis?.image, /^redis:7\b/);
    assert.match(services.nginx?.image, /^nginx:/);
    assert.deepEqual(appServices.map(([name]) => name).sort(), ['gateway', 'inventory', 'notifications', 'orchestrator', 'payments', 'shop', 'worker']);
    assert.ok(String(services.shop!.deploy?.replicas).match(/^\$\{SHOP_REPLICAS:-2\}$|^2$/), 'the shop runs as copies');
    for (const [name, s] of appServices) assert.ok(code[scriptOf(s.command)!], `${name} runs ${scriptOf(s.command)}, which exists`);
    assert.deepEqual(Object.keys(services.nginx?.ports ?? {}).length, 1, 'nginx publishes one port');
    for (const [name, s] of Object.entries(services)) if (name !== 'nginx') assert.equal(s.ports, undefined, `${name} publishes no port`);
  });

  it('every service has a health check and a restart policy', () => {
    for (const [name, s] of Object.entries(services)) {
      assert.ok(['always', 'unless-stopped', 'on-failure'].includes(s.restart), `${name}: restart is ${s.restart}`);
      assert.ok(Array.isArray(s.healthcheck?.test) && s.healthcheck.test.length > 1, `${name}: a healthcheck test`);
      assert.notEqual(s.healthcheck.disable, true, name);
    }
  });

  it('the services\' health checks ask a path they serve, on the port they listen on', () => {
    for (const [name, s] of appServices) {
      const probe = s.healthcheck.test.join(' ');
      const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z-]*)/.exec(probe);
      assert.ok(url, `${name}: ${probe}`);
      assert.equal(url[1], String(s.environment.PORT), `${name} listens on PORT ${s.environment.PORT}`);
      assert.ok(SERVED.has(url[2]!), `${name}: ${url[2]} is served`);
      assert.equal(s.environment.HOST, '0.0.0.0', `${name} listens beyond its own loopback`);
    }
  });

  it('hands each service exactly variables the code reads, and all it requires', () => {
    for (const [name, s] of appServices) {
      const given = Object.keys(s.environment ?? {});
      for (const variable of given) assert.ok(READ.has(variable), `${name}: ${variable} is read nowhere in src/`);
      for (const variable of required(scriptOf(s.command)!)) assert.ok(satisfied(variable, given), `${name} needs ${variable}`);
    }
  });

  it('URLs name compose services and the ports they listen on; depends_on names services', () => {
    for (const [name, s] of appServices) {
      for (const [variable, value] of Object.entries(s.environment as Record<string, string>)) {
        for (const url of urlsIn(variable, value)) {
          const target = services[url.hostname];
          assert.ok(target, `${name}: ${variable} points at ${url.hostname}, not a service`);
          // a service's own PORT, or the gateway's collector port (stage 11)
          const ports = [target.environment?.PORT, target.environment?.COLLECTOR_PORT, { postgres: '5432', mosquitto: '1883', nats: '4222', redis: '6379' }[url.hostname]];
          assert.ok(ports.includes(url.port), `${name}: ${variable} on port ${url.port} of ${url.hostname}`);
        }
      }
      for (const needed of Object.keys(s.depends_on ?? {})) assert.ok(services[needed], `${name} depends on ${needed}`);
    }
    // each service connects as its own role (deploy/postgres/roles.sql), with the password and
    // the database the postgres service makes them with
    const byDefault = (value: string) => value.replace(/\$\{(\w+):-([^}]*)\}/g, '$2');
    const postgres = services.postgres!.environment as Record<string, string>;
    const roleOf: Record<string, string> = { shop: 'orders', orchestrator: 'orders', payments: 'payments', inventory: 'inventory', notifications: 'notifications', worker: 'notifications' };
    for (const [name, part] of Object.entries(roleOf)) {
      const db = new URL(byDefault(services[name]!.environment.DATABASE_URL));
      const expected = [`shop_${part}`, byDefault(postgres[`${part.toUpperCase()}_DB_PASSWORD`] ?? ''), `/${byDefault(postgres.POSTGRES_DB ?? '')}`];
      assert.deepEqual([db.username, db.password, db.pathname], expected, `${name} connects as its own role`);
    }
  });

  it('nginx passes requests to the gateway service, on its port', () => {
    const conf = read('deploy/nginx.conf');
    const upstream = /upstream gateway \{[^}]*server ([a-z-]+):(\d+)/.exec(conf);
    assert.ok(upstream, conf);
    assert.equal(upstream[1], 'gateway');
    assert.equal(upstream[2], String(services.gateway!.environment.PORT));
    assert.match(conf, /proxy_pass http:\/\/gateway;/);
    assert.match(services.nginx!.healthcheck.test.join(' '), /\/nginx-health/);
    // the contract's 413 for a body over 1 MiB is the shop's JSON: nginx must let it through
    const limit = /client_max_body_size (\d+)m;/.exec(conf);
    assert.ok(limit && Number(limit[1]) > 1, 'client_max_body_size above 1m');
    assert.match(conf, /location = \/nginx-health/);
  });

  it('Mosquitto: MQTT on 1883 for BROKER_URL, anonymous inside the network, persistence on', () => {
    const conf = read('deploy/mosquitto.conf');
    assert.match(conf, /^listener 1883$/m);
    assert.match(conf, /^persistence true$/m);
    assert.match(conf, /^persistence_location \/mosquitto\/data\/$/m);
    assert.ok(services.mosquitto!.volumes.some((v: string) => v.endsWith(':/mosquitto/data')), 'the data on a volume');
  });
});

// --- k8s/ -----------------------------------------------------------------------------------
const k8sFiles = readdirSync(join(stage, 'k8s')).filter((f) => f.endsWith('.yaml')).sort();
const docs: Obj[] = k8sFiles.flatMap((file) =>
  parseAllDocuments(read(join('k8s', file))).map((doc) => {
    assert.deepEqual(doc.errors, [], file);
    return { ...(doc.toJS() as Obj), file };
  }),
);
const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
const named = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
const workloads = [...ofKind('Deployment'), ...ofKind('StatefulSet')];
const appDeployments = ofKind('Deployment').filter((d) => scriptOf(d.spec.template.spec.containers[0].command));

describe('k8s/', () => {
  it('kustomization.yaml lists every other file, once', () => {
    const kustomization = parse(read('k8s/kustomization.yaml')) as Obj;
    assert.deepEqual([...kustomization.resources].sort(), k8sFiles.filter((f) => f !== 'kustomization.yaml'));
  });

  it('has the seven kinds of service as Deployments, each with a Service, a ConfigMap, a Secret and an Ingress', () => {
    assert.deepEqual(appDeployments.map((d) => d.metadata.name).sort(), ['gateway', 'inventory', 'notifications', 'orchestrator', 'payments', 'shop', 'worker']);
    for (const d of appDeployments) assert.ok(named('Service', d.metadata.name), `a Service for ${d.metadata.name}`);
    assert.ok(named('ConfigMap', 'shop-config') && named('Secret', 'shop-secrets') && ofKind('Ingress').length === 1);
  });

  it('NATS with JetStream and Redis, each a Deployment with its Service, as in compose.yaml', () => {
    const nats = named('Deployment', 'nats')!.spec.template.spec.containers[0] as Obj;
    assert.match(nats.image, /^nats:2\./);
    assert.ok(nats.args.includes('--jetstream'), 'JetStream on');
    assert.match(nats.readinessProbe.httpGet.path, /^\/healthz\?js-enabled-only=true$/, 'ready once JetStream is');
    assert.ok(named('Service', 'nats')?.spec.ports.some((p: Obj) => p.port === 4222));
    const redis = named('Deployment', 'redis')!.spec.template.spec.containers[0] as Obj;
    assert.equal(redis.image, services.redis!.image);
    assert.ok(named('Service', 'redis')?.spec.ports.some((p: Obj) => p.port === 6379));
    assert.equal(named('ConfigMap', 'shop-config')!.data.REDIS_URL, 'redis://redis:6379');
  });

  it('every Deployment has readiness and liveness probes on ports it declares; the services\' on paths they serve', () => {
    for (const d of workloads) {
      for (const c of d.spec.template.spec.containers as Obj[]) {
        const ports = (c.ports as Obj[]).flatMap((p) => [p.name, p.containerPort]);
        for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
          const probe = c[kind] as Obj | undefined;
          assert.ok(probe, `${d.metadata.name}: ${kind}`);
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (port !== undefined) assert.ok(ports.includes(port), `${d.metadata.name}: ${kind} on port ${port}`);
          if (!scriptOf(c.command)) continue;
          assert.ok(probe.httpGet && SERVED.has(probe.httpGet.path), `${d.metadata.name}: ${kind} asks ${probe.httpGet?.path}`);
        }
        if (scriptOf(c.command)) {
          // (the gateway's /health is the shop's, passed through: its own answer is /metrics)
          assert.equal(c.livenessProbe.httpGet.path, d.metadata.name === 'gateway' ? '/metrics' : '/health', 'alive: the process answers');
          assert.equal(c.readinessProbe.httpGet.path, '/ready', 'ready: its database answers too');
          assert.ok(code[scriptOf(c.command)!], `${d.metadata.name} runs ${scriptOf(c.command)}, which exists`);
        }
      }
    }
  });

  it('the services get exactly variables the code reads, and all they require, from the ConfigMap and the Secret', () => {
    const config = named('ConfigMap', 'shop-config')!.data as Record<string, string>;
    const secret = named('Secret', 'shop-secrets')!.stringData as Record<string, string>;
    for (const d of appDeployments) {
      const c = d.spec.template.spec.containers[0] as Obj;
      const given = new Set<string>();
      for (const from of c.envFrom ?? []) {
        const map = from.configMapRef ? named('ConfigMap', from.configMapRef.name) : named('Secret', from.secretRef.name);
        assert.ok(map, `${d.metadata.name}: envFrom ${JSON.stringify(from)}`);
        Object.keys(map.data ?? map.stringData).forEach((k) => given.add(k));
      }
      for (const e of c.env ?? []) {
        for (const url of typeof e.value === 'string' ? urlsIn(e.name, e.value) : []) {
          const service = named('Service', url.hostname);
          assert.ok(service?.spec.ports.some((p: Obj) => String(p.port) === (url.port || '80')), `${d.metadata.name}: ${e.name} = ${e.value}`);
        }
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        if (ref) assert.ok((ref === e.valueFrom.secretKeyRef ? secret : config)[ref.key] !== undefined, `${d.metadata.name}: ${ref.name}/${ref.key}`);
        given.add(e.name);
      }
      for (const variable of given) assert.ok(READ.has(variable), `${d.metadata.name}: ${variable} is read nowhere in src/`);
      for (const variable of required(scriptOf(c.command)!)) assert.ok(satisfied(variable, given), `${d.metadata.name} needs ${variable}`);
    }
  });

  it('URLs in the ConfigMap and the Secret name Services and their ports', () => {
    const config = named('ConfigMap', 'shop-config')!.data as Record<string, string>;
    const secret = named('Secret', 'shop-secrets')!.stringData as Record<string, string>;
    const databaseUrls = Object.fromEntries(Object.entries(secret).filter(([key]) => key.endsWith('DATABASE_URL')));
    for (const [variable, value] of Object.entries({ ...config, ...databaseUrls })) {
      for (const url of urlsIn(variable, value)) {
        const service = named('Service', url.hostname);
        assert.ok(service, `${variable}: ${url.hostname} is no Service`);
        const port = url.port || { 'http:': '80' }[url.protocol];
        assert.ok(service.spec.ports.some((p: Obj) => String(p.port) === port), `${variable}: ${url.hostname} has port ${port}`);
      }
    }
    // a role per service, with the password postgres.yaml makes it with
    for (const part of ['orders', 'payments', 'inventory', 'notifications']) {
      const db = new URL(secret[`${part.toUpperCase()}_DATABASE_URL`]!);
      assert.deepEqual([db.username, db.password, db.pathname], [`shop_${part}`, secret[`${part.toUpperCase()}_DB_PASSWORD`], `/${secret.POSTGRES_DB}`], part);
    }
  });

  it('each Service selects the pods of a workload, on a port their container declares', () => {
    for (const s of ofKind('Service')) {
      const workload = workloads.find((w) => Object.entries(s.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      assert.ok(workload, `Service ${s.metadata.name} selects nothing`);
      const declared = (workload.spec.template.spec.containers as Obj[]).flatMap((c) => (c.ports as Obj[]).flatMap((p) => [p.name, p.containerPort]));
      for (const p of s.spec.ports) assert.ok(declared.includes(p.targetPort), `${s.metadata.name}: targetPort ${p.targetPort}`);
      assert.deepEqual(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels, `${workload.metadata.name}: selector = labels`);
    }
  });

  it('the Ingress sends everything to the gateway\'s Service, on a port it has', () => {
    const [ingress] = ofKind('Ingress');
    const backend = ingress!.spec.rules[0].http.paths[0].backend.service;
    assert.equal(backend.name, 'gateway');
    const service = named('Service', 'gateway')!;
    assert.ok(service.spec.ports.some((p: Obj) => p.name === backend.port.name || p.port === backend.port.number));
  });

  // kubectl builds what `kubectl apply -k k8s/` would send, without a cluster.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it('kubectl kustomize renders every object of the files, in the namespace shop, with the image named', { skip: !kubectl && 'no kubectl on this machine' }, () => {
    const rendered = spawnSync('kubectl', ['kustomize', join(stage, 'k8s')], { encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    const objects = parseAllDocuments(rendered.stdout).map((doc) => doc.toJS() as Obj);
    const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
    assert.deepEqual(objects.map(key).sort(), docs.filter((d) => d.kind !== 'Kustomization').map(key).sort());
    for (const o of objects) if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, 'shop', key(o));
    const images = objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image as string));
    assert.ok(images.includes('shop-stage12:latest'), images.join(', '));
  });

  it('Mosquitto gets the same configuration as in compose.yaml, and a volume for its persistence', () => {
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines(named('ConfigMap', 'mosquitto-config')!.data['mosquitto.conf']), lines(read('deploy/mosquitto.conf')));
    const mounts = named('Deployment', 'mosquitto')!.spec.template.spec.containers[0].volumeMounts as Obj[];
    assert.ok(mounts.some((m) => m.mountPath === '/mosquitto/data'));
  });
});

describe('deploy/postgres/: a role per service', () => {
  it('k8s/postgres-init.yaml holds the very files compose.yaml mounts, byte for byte', () => {
    const configMap = parse(read('k8s/postgres-init.yaml')) as Obj;
    for (const file of ['roles.sql', 'grants.sql', 'init.sh']) assert.equal(configMap.data[file], read(join('deploy', 'postgres', file)), file);
  });

  it('grants.sql grants no role anything on a module schema: each role owns only the schema it makes', () => {
    const grants = read('deploy/postgres/grants.sql');
    for (const schema of ['orders', 'payments', 'inventory', 'notifications']) assert.doesNotMatch(grants, new RegExp(`\\b${schema}\\.`), schema);
  });
});
