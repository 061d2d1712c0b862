import Ajv from 'ajv';
import { load } from 'js-yaml';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../utils/wait';
import { promtool } from '../utils/promtool';
import { freePort } from '../utils/ports';
import { ROOT, start } from '../utils/process';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('docker-compose.yml', () => {
  const compose = load(read('docker-compose.yml')) as {
    services: Record<string, { ports?: string[]; build?: { target?: string }; environment?: Record<string, string> }>;
  };

  it('publishes only the load balancer, on loopback unless LB_ADDRESS says otherwise, built with the web client', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length);
    expect(published.map(([name, service]) => [name, service.ports])).toEqual([
      ['lb', ['${LB_ADDRESS:-127.0.0.1}:8080:80']],
    ]);
    expect(compose.services.lb.build?.target).toBe('lb');
    expect(read('Dockerfile')).toMatch(
      /^FROM \$\{NGINX_IMAGE\} AS lb\nCOPY --from=build \/app\/dist\/web \/usr\/share\/nginx\/html$/m,
    );
  });

  // The Compose Specification's own JSON schema, as the dclint package ships and updates it. It names its
  // draft-07 meta-schema by an https address Ajv does not register; Ajv's default dialect is draft-07.
  const { $schema: draft, ...composeSchema } = JSON.parse(read('node_modules/dclint/schemas/compose.schema.json')) as {
    $schema: string;
  };
  const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSchema);
  const problems = () =>
    (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

  it('is valid against the Compose Specification JSON schema (name, depends_on restart: Compose v2.17+)', () => {
    expect(draft).toContain('draft-07');
    expect(validate(compose) ? [] : problems()).toEqual([]);
    expect(compose).toHaveProperty('name');
  });

  it('the schema check bites: a misspelt depends_on option or an unknown service key is refused', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    const [first] = Object.keys(broken.services);
    broken.services[first].depends_on = { postgres: { condition: 'service_healthy', restrat: true } };
    broken.services[first].replica = 2;
    expect(validate(broken)).toBe(false);
    expect(problems().join('\n')).toMatch(/restrat|replica/);
  });
});

describe('deploy/nginx.conf', () => {
  it('passes nginx -t (Debian nginx), the upstream names resolved to loopback as compose would resolve them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-nginx-'));
    try {
      // nginx -t resolves upstream host names; api1… exist only on compose's network.
      const conf = read('deploy/nginx.conf').replace(/server (api|gateway)\d:3000/g, 'server 127.0.0.1:3000');
      writeFileSync(join(dir, 'nginx.conf'), conf);
      const result = spawnSync('nginx', ['-t', '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      if (result.error)
        throw new Error(`nginx is missing: apt-get install nginx (.ci/run does): ${result.error.message}`);
      expect({ status: result.status, output: result.stderr.trim() }).toEqual({
        status: 0,
        output: expect.stringContaining('test is successful'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run in front of a built hub: serves the client and its routes, proxies the API with the real client address, keeps /metrics in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-nginx-run-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-nginx-data-'));
    // As in compose: the instances trust one proxy, this nginx.
    const hub = await start('hub', { DATA_DIR: dataDir, TRUST_PROXY: '1' });
    const port = await freePort();
    // The file as shipped, with what only compose provides replaced: the instances' addresses, the
    // public port, the files' location, and paths an unprivileged run can write.
    const hubAddress = new URL(hub.url).host;
    const conf = read('deploy/nginx.conf')
      .replace(/server (api|gateway)\d:3000/g, `server ${hubAddress}`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`)
      .replace('root /usr/share/nginx/html;', `root ${join(ROOT, 'dist', 'web')};`)
      .replace(/^pid .*$/m, `pid ${join(dir, 'nginx.pid')};`)
      .replace(/^error_log .*$/m, `error_log ${join(dir, 'error.log')} warn;`)
      .replace(/access_log \/var\/log\/nginx\/access\.log hub;/, `access_log ${join(dir, 'access.log')} hub;`)
      .replace('http {', `http {\n    client_body_temp_path ${dir}/body;\n    proxy_temp_path ${dir}/proxy;`);
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;']);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(async () => (await fetch(`${base}/health/live`).catch(() => null))?.status === 200, 'nginx');
      for (const path of ['/', '/t/BUC', '/t/BUC/meetings']) {
        const page = await fetch(`${base}${path}`);
        expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({
          path,
          status: 200,
          type: expect.stringMatching(/^text\/html/),
        });
        expect(await page.text()).toContain('<div id="root">');
        expect(page.headers.get('cache-control')).toBe('no-cache');
        expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      }
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${base}/`)).text())![1];
      const asset = await fetch(`${base}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${base}/no-such-page.html`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      const api = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
      expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);

      // A TLS proxy in front (here: loopback, a trusted address) names the client; the hub sees that client.
      await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': '203.0.113.9',
          'x-request-id': 'behind-tls-proxy-0001',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await waitUntil(() => hub.output().includes('behind-tls-proxy-0001'), 'the request line');
      const line = hub
        .output()
        .split('\n')
        .find((text) => text.includes('behind-tls-proxy-0001'))!;
      expect(JSON.parse(line)).toMatchObject({ requestId: 'behind-tls-proxy-0001', client: '203.0.113.9' });
    } finally {
      nginx.kill('SIGTERM');
      await new Promise((done) => (nginx.exitCode !== null ? done(null) : nginx.once('exit', done)));
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves the client routes from index.html, trusts X-Forwarded-For only from private proxies, and keeps /metrics in', () => {
    const conf = read('deploy/nginx.conf');
    expect(conf).toMatch(/location ~ \^\/\(t\/\.\*\)\?\$ \{[^}]*try_files \/index\.html =404;/);
    expect(conf).toMatch(/root \/usr\/share\/nginx\/html;/);
    expect(conf).toMatch(/real_ip_header X-Forwarded-For;/);
    expect(conf.match(/^\s*set_real_ip_from (\S+);/gm)?.map((line) => line.trim())).toEqual([
      'set_real_ip_from 172.16.0.0/12;',
      'set_real_ip_from 10.0.0.0/8;',
      'set_real_ip_from 192.168.0.0/16;',
      'set_real_ip_from 127.0.0.1;',
    ]);
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});

describe('deploy/prometheus and deploy/grafana', () => {
  const dashboard = JSON.parse(read('deploy/grafana/task-force-hub.json')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const dashboardExprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  const alertExprs = [...read('deploy/prometheus/alerts.yml').matchAll(/expr: (?:\|\n)?([\s\S]*?)\n\s+for:/g)].map(
    (m) => m[1],
  );

  it('alert rules pass promtool check rules and their unit tests (promtool test rules)', () => {
    const dir = join(ROOT, 'deploy', 'prometheus');
    expect(promtool(['check', 'rules', join(dir, 'alerts.yml')])).toMatchObject({ code: 0 });
    const tested = promtool(['test', 'rules', join(dir, 'alerts.test.yml')]);
    expect(tested).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
    expect(promtool(['check', 'config', '--syntax-only', join(dir, 'prometheus.yml')])).toMatchObject({ code: 0 });
    expect(alertExprs).toHaveLength(7);
    for (const alert of [
      'HubInstanceDown',
      'HubHighServerErrorRate',
      'HubOutboxLagging',
      'HubRedisDegraded',
      'HubDatabaseUnavailable',
      'HubRemindersFailing',
      'HubEmailsFailing',
    ])
      expect(read('deploy/prometheus/alerts.test.yml')).toContain(`alertname: ${alert}`);
  });

  it("the dashboard's queries are valid PromQL (checked as recording rules)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-dashboard-'));
    try {
      const rules = dashboardExprs.map(
        (expr, i) =>
          `      - record: dashboard:panel_${i}\n        expr: ${JSON.stringify(expr.replaceAll('$__rate_interval', '5m').replaceAll('$instance', '.*'))}`,
      );
      writeFileSync(join(dir, 'rules.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      expect(promtool(['check', 'rules', join(dir, 'rules.yml')])).toMatchObject({ code: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every metric the dashboard and the alerts read is exported by a running hub, whose /metrics passes promtool', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-deploy-'));
    // The machine's Redis, under a prefix of this suite's own: hub_redis_up exists only with Redis.
    const hub = await start('hub', {
      DATA_DIR: dataDir,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'deploy-files-test:',
    });
    try {
      await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ me { id } }"}',
      });
      const text = await (await fetch(`${hub.url}/metrics`)).text();
      expect(promtool(['check', 'metrics'], text)).toEqual({ code: 0, output: '' });
      const exported = new Set(
        [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
          type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
        ),
      );
      const used = new Set([...dashboardExprs, ...alertExprs].flatMap((expr) => expr.match(/\bhub_[a-z0-9_]+/g) ?? []));
      expect(used.size).toBeGreaterThan(10);
      expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    } finally {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
