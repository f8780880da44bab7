/**
 * The commands `cqlwire shell` handles itself, as cqlsh does (case-insensitive, the `;` optional):
 * CONSISTENCY, PAGING, EXPAND, DESCRIBE (from the cluster's schema metadata), HELP and EXIT/QUIT.
 * Anything else is CQL for the server.
 */
import type { ClusterMetadata } from '../cluster/index.js';
import { consistencyName } from '../protocol/consistency.js';
import { consistencyArg } from './connection-args.js';
import { cqlName, keyspaceCql, nameColumns, tableCql } from './schema-text.js';
import type { OutputSettings } from './statement-output.js';

/** What the shell's own commands read and change. */
export interface ShellState {
  readonly settings: OutputSettings;
  /** The session's keyspace (after `USE`), for DESCRIBE TABLES and unqualified table names. */
  readonly keyspace: () => string | undefined;
  readonly metadata: Pick<ClusterMetadata, 'keyspaces' | 'keyspace' | 'table'>;
}

/** What a line did: printed `text` (maybe ''), asked to quit, or was not a shell command. */
export type ShellCommandResult = { kind: 'done'; text: string } | { kind: 'exit' } | { kind: 'cql' };

/** The text of `HELP`. */
export const SHELL_HELP = `Shell commands (the ';' is optional):
  CONSISTENCY [LEVEL]            show or set the consistency level (e.g. QUORUM)
  PAGING [ON | OFF | N]          show or set paging (N rows per page)
  EXPAND [ON | OFF]              one line per column
  DESCRIBE KEYSPACES             the keyspace names
  DESCRIBE KEYSPACE [ks]         CQL to create the keyspace and its tables
  DESCRIBE TABLES                the table names (of the keyspace in use, else of every keyspace)
  DESCRIBE TABLE [ks.]table      CQL to create the table
  HELP                           this text
  EXIT | QUIT                    leave (also Ctrl-D)
Anything else is CQL, run when a line ends with ';'.
`;

function onOff(word: string | undefined): boolean | undefined {
  const w = word?.toUpperCase();
  return w === 'ON' ? true : w === 'OFF' ? false : undefined;
}

/** Runs `line` if it is a shell command (see the file comment). */
export async function runShellBuiltin(line: string, state: ShellState): Promise<ShellCommandResult> {
  const words = line.trim().replace(/;\s*$/, '').trim().split(/\s+/);
  const head = words[0]?.toUpperCase();
  const s = state.settings;
  switch (head) {
    case 'EXIT':
    case 'QUIT':
      return words.length === 1 ? { kind: 'exit' } : { kind: 'cql' };
    case 'HELP':
    case '?':
      return { kind: 'done', text: SHELL_HELP };
    case 'CONSISTENCY': {
      if (words.length === 1)
        return { kind: 'done', text: `Current consistency level is ${consistencyName(s.consistency)}.\n` };
      const level = consistencyArg('CONSISTENCY', words[1]!);
      if (typeof level === 'string') return { kind: 'done', text: `${level}\n` };
      s.consistency = level;
      return { kind: 'done', text: `Consistency level set to ${consistencyName(level)}.\n` };
    }
    case 'PAGING': {
      if (words.length === 1)
        return {
          kind: 'done',
          text: `Query paging is currently ${s.page ? 'enabled' : 'disabled'}. Use PAGING ON or PAGING OFF.\nPage size: ${s.fetchSize}\n`,
        };
      const on = onOff(words[1]);
      if (on !== undefined) s.page = on;
      else if (/^\d+$/.test(words[1]!) && Number(words[1]) >= 1 && Number(words[1]) <= 0x7fffffff) {
        s.page = true;
        s.fetchSize = Number(words[1]);
      } else return { kind: 'done', text: 'PAGING takes ON, OFF or a page size (a positive integer).\n' };
      return {
        kind: 'done',
        text: s.page ? `Query paging is enabled.\nPage size: ${s.fetchSize}\n` : 'Query paging is disabled.\n',
      };
    }
    case 'EXPAND': {
      if (words.length === 1)
        return {
          kind: 'done',
          text: `Expanded output is currently ${s.expand ? 'enabled' : 'disabled'}. Use EXPAND ON or EXPAND OFF.\n`,
        };
      const on = onOff(words[1]);
      if (on === undefined) return { kind: 'done', text: 'EXPAND takes ON or OFF.\n' };
      s.expand = on;
      return { kind: 'done', text: `Expanded output is ${on ? 'enabled' : 'disabled'}.\n` };
    }
    case 'DESCRIBE':
    case 'DESC':
      return { kind: 'done', text: await describe(words.slice(1), state) };
    default:
      return { kind: 'cql' };
  }
}

/** Splits `ks.table` (or `table` in the keyspace in use); quotes around names are removed. */
function qualified(name: string, keyspace: string | undefined): [string | undefined, string] {
  const unquote = (n: string): string =>
    n.startsWith('"') && n.endsWith('"') ? n.slice(1, -1).replace(/""/g, '"') : n.toLowerCase();
  const dot = name.indexOf('.');
  return dot < 0 ? [keyspace, unquote(name)] : [unquote(name.slice(0, dot)), unquote(name.slice(dot + 1))];
}

async function describe(args: readonly string[], state: ShellState): Promise<string> {
  const what = args[0]?.toUpperCase();
  const m = state.metadata;
  const inUse = state.keyspace();
  if (what === 'KEYSPACES') return nameColumns((await m.keyspaces()).map((k) => cqlName(k.name)));
  if (what === 'TABLES') {
    const keyspaces = inUse !== undefined ? [await m.keyspace(inUse)] : await m.keyspaces();
    let out = '';
    for (const ks of keyspaces) {
      if (ks === undefined) continue;
      const names = ks.tables().map((t) => cqlName(t.name));
      out +=
        inUse !== undefined
          ? nameColumns(names)
          : `\nKeyspace ${cqlName(ks.name)}\n${'-'.repeat(9 + cqlName(ks.name).length)}\n${nameColumns(names)}`;
    }
    return out === '' ? '\n' : out;
  }
  if (what === 'KEYSPACE') {
    const name = args[1] === undefined ? inUse : qualified(args[1], undefined)[1];
    if (name === undefined) return 'DESCRIBE KEYSPACE needs a keyspace name (or USE one first).\n';
    const ks = await m.keyspace(name);
    if (ks === undefined) return `Keyspace '${name}' not found.\n`;
    return [keyspaceCql(ks), ...ks.tables().map(tableCql)].join('\n');
  }
  if (what === 'TABLE' || what === 'COLUMNFAMILY') {
    if (args[1] === undefined) return 'DESCRIBE TABLE needs a table name.\n';
    const [ks, table] = qualified(args[1], inUse);
    if (ks === undefined) return `No keyspace for table '${table}': write keyspace.table, or USE a keyspace.\n`;
    const t = await m.table(ks, table);
    return t === undefined ? `Table '${ks}.${table}' not found.\n` : tableCql(t);
  }
  return 'DESCRIBE takes KEYSPACES, KEYSPACE [ks], TABLES or TABLE [ks.]table.\n';
}
