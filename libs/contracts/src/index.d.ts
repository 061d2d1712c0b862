/**
 * @hub/contracts: the shapes that cross the wire, declared once for the server, the web client, the
 * tests and the benchmarks. Declarations only (`.d.ts`): nothing here can run, so importing it pulls
 * no server code (no Nest, no ORM) into the browser bundle. Import it with `import type`.
 */
export * from './live-events';
export * from './socket-events';
export * from './notifications';
