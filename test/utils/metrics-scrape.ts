/** Reading `GET /metrics` in tests: one sample of the Prometheus text format. */

/** `name{labels} value`, 0 when the series is absent. */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inBraces = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => inBraces.split(',').includes(pair))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

/** `hub_rejected_requests_total` by reason, as the hub at `url` counts it now. */
export async function rejections(url: string, token?: string): Promise<(reason: string) => number> {
  const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  return (reason: string) => metricSample(text, 'hub_rejected_requests_total', { reason });
}
