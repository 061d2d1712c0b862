import Ajv from 'ajv';
import { load } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../utils/process';

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
