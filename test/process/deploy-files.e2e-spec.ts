import Ajv from 'ajv';
import { load } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promtool } from '../utils/promtool';
import { ROOT, start } from '../utils/process';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('docker-compose.yml', () => {
  const compose = load(read('docker-compose.yml')) as {
    services: Record<string, { ports?: string[]; build?: { target?: string }; environment?: Record<string, string> }>;
  };

  it('is valid against the Compose Specification JSON schema (deploy/schema, vendored)', () => {
    // The spec's own schema (draft-07, which Ajv speaks by default; its `$schema` spells the draft's
    // address with https, which Ajv does not know by that name). Formats (durations, …) are informative.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
    const validate = ajv.compile(JSON.parse(read('deploy/schema/compose-spec.json')) as object);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // And the check can fail: a misspelt service option is refused.
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.api1.depends_onn = broken.services.api1.depends_on;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.params)).toContainEqual({ additionalProperty: 'depends_onn' });
  });

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
    expect(alertExprs).toHaveLength(5);
    for (const alert of [
      'HubInstanceDown',
      'HubHighServerErrorRate',
      'HubOutboxLagging',
      'HubRedisDegraded',
      'HubDatabaseUnavailable',
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
