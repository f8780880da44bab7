/**
 * What `DESCRIBE` prints in `cqlwire shell`, from the cluster's schema metadata: keyspace and
 * table names, and CQL that recreates a keyspace or a table (columns, primary key, clustering
 * order, comment, default TTL), in the layout cqlsh uses.
 */
import type { KeyspaceMetadata, TableMetadata } from '../cluster/index.js';

/** A CQL identifier as it must be written: quoted unless it is lower-case letters, digits and `_`. */
export function cqlName(name: string): string {
  return /^[a-z][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function cqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Names in rows of at most `width` characters, two spaces apart (cqlsh's DESCRIBE lists). */
export function nameColumns(names: readonly string[], width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const n of names) {
    if (line !== '' && line.length + 2 + n.length > width) {
      lines.push(line);
      line = '';
    }
    line += line === '' ? n : `  ${n}`;
  }
  if (line !== '') lines.push(line);
  return `${lines.join('\n')}\n`;
}

/** `CREATE KEYSPACE ... WITH replication = {...} AND durable_writes = ...;` */
export function keyspaceCql(ks: KeyspaceMetadata): string {
  const replication = { class: ks.replication.class, ...ks.replication.options };
  const map = Object.entries(replication)
    .map(([k, v]) => `${cqlString(k)}: ${cqlString(v)}`)
    .join(', ');
  return `CREATE KEYSPACE ${cqlName(ks.name)} WITH replication = {${map}} AND durable_writes = ${ks.durableWrites};\n`;
}

/** `CREATE TABLE ks.t (...) WITH ...;` for a table (a view is described by its columns too). */
export function tableCql(t: TableMetadata): string {
  const columns = t.columns.map((c) => `    ${cqlName(c.name)} ${c.cqlType}${c.kind === 'static' ? ' static' : ''},`);
  const partition = t.partitionKey.map((c) => cqlName(c.name));
  const key = partition.length === 1 ? partition[0]! : `(${partition.join(', ')})`;
  const primary = [key, ...t.clusteringKey.map((c) => cqlName(c.name))].join(', ');
  const withs: string[] = [];
  if (t.clusteringKey.length > 0) {
    const order = t.clusteringKey.map((c) => `${cqlName(c.name)} ${c.clusteringOrder === 'desc' ? 'DESC' : 'ASC'}`);
    withs.push(`CLUSTERING ORDER BY (${order.join(', ')})`);
  }
  withs.push(`comment = ${cqlString(t.options.comment)}`);
  withs.push(`default_time_to_live = ${t.options.defaultTimeToLive}`);
  withs.push(`gc_grace_seconds = ${t.options.gcGraceSeconds}`);
  const kind = t.isView ? 'MATERIALIZED VIEW' : 'TABLE';
  return `CREATE ${kind} ${cqlName(t.keyspace)}.${cqlName(t.name)} (\n${columns.join('\n')}\n    PRIMARY KEY (${primary})\n) WITH ${withs.join('\n    AND ')};\n`;
}
