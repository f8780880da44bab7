/**
 * `npm run demo`. The streaming demo (embedded server, a 2,000,000-row table, live progress,
 * rows/s and memory) arrives with the streaming layer; until then this says so and exits 0.
 */
process.stdout.write(
  'cqlwire demo: coming with the streaming layer (executeStream).\n' +
    'Today the protocol layer is in place: run `npm test` to see it checked against real Cassandra recordings.\n',
);
