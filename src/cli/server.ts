import type { EmbeddedServerOptions } from '../server/net/server-options.js';

/** What `cqlwire server` needs of the server it starts (the embedded server, or a stand-in in tests). */
export interface StartedServer {
  readonly contactPoints: readonly string[];
  stop(): Promise<void>;
}

/** How the command talks to the world; `process` in real use, fakes in tests. */
export interface ServerCommandIo {
  start(options: EmbeddedServerOptions): Promise<StartedServer>;
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the process is asked to stop (SIGINT / SIGTERM). */
  stopSignal(): Promise<string>;
}

export const SERVER_USAGE = `Usage: cqlwire server [--nodes N] [--port P] [--auth user:pass]

Runs the embedded CQL server in the foreground on loopback until SIGINT or SIGTERM.
The first line printed is "contact points: 127.0.0.1:PORT[,...]".

Options:
  --nodes N         number of nodes, on 127.0.0.1 .. 127.0.0.N (default 1)
  --port P          TCP port shared by the nodes; 0 = any free port (default 9042)
  --auth user:pass  require PasswordAuthenticator credentials
  -h, --help        show this help
`;

/** The parsed command line, or why it is not one. */
export type ServerArgs =
  | { kind: 'run'; options: EmbeddedServerOptions }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

function intArg(name: string, value: string | undefined, min: number, max: number): number | string {
  if (value === undefined) return `${name} needs a value`;
  if (!/^\d+$/.test(value)) return `${name} must be an integer, got '${value}'`;
  const n = Number(value);
  if (n < min || n > max) return `${name} must be from ${min} to ${max}, got ${n}`;
  return n;
}

/** Parses `cqlwire server` arguments (after the subcommand). */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  const options: EmbeddedServerOptions = { nodes: 1, port: 9042 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--nodes': {
        const n = intArg('--nodes', value(), 1, 254);
        if (typeof n === 'string') return { kind: 'usage-error', message: n };
        options.nodes = n;
        break;
      }
      case '--port': {
        const n = intArg('--port', value(), 0, 65535);
        if (typeof n === 'string') return { kind: 'usage-error', message: n };
        options.port = n;
        break;
      }
      case '--auth': {
        const v = value();
        const colon = v === undefined ? -1 : v.indexOf(':');
        if (v === undefined || colon <= 0)
          return { kind: 'usage-error', message: `--auth must be user:pass, got '${v ?? ''}'` };
        options.credentials = { username: v.slice(0, colon), password: v.slice(colon + 1) };
        break;
      }
      default:
        return { kind: 'usage-error', message: `unknown argument '${arg}'` };
    }
  }
  return { kind: 'run', options };
}

/** Runs `cqlwire server`; resolves with the exit code (0 stopped cleanly, 2 usage, 1 failure). */
export async function runServerCommand(argv: readonly string[], io: ServerCommandIo): Promise<number> {
  const args = parseServerArgs(argv);
  if (args.kind === 'help') {
    io.out(SERVER_USAGE.trimEnd());
    return 0;
  }
  if (args.kind === 'usage-error') {
    io.err(`cqlwire server: ${args.message}`);
    io.err(SERVER_USAGE.trimEnd());
    return 2;
  }
  let server: StartedServer;
  try {
    server = await io.start(args.options);
  } catch (err) {
    io.err(`cqlwire server: could not start: ${(err as Error).message}`);
    return 1;
  }
  io.out(`contact points: ${server.contactPoints.join(',')}`);
  const auth =
    args.options.credentials !== undefined ? ` (authentication: user '${args.options.credentials.username}')` : '';
  io.out(`cqlwire embedded server: ${args.options.nodes ?? 1} node(s)${auth}; Ctrl-C to stop`);
  const signal = await io.stopSignal();
  try {
    await server.stop();
  } catch (err) {
    io.err(`cqlwire server: error while stopping: ${(err as Error).message}`);
    return 1;
  }
  io.out(`stopped (${signal})`);
  return 0;
}
