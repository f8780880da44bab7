import { formatEndpoint } from '../connection/index.js';

/** What the control connection learned about a node from system.local / system.peers(_v2). */
export interface HostFacts {
  dataCenter?: string | undefined;
  rack?: string | undefined;
  tokens?: readonly string[] | undefined;
  hostId?: string | undefined;
  releaseVersion?: string | undefined;
}

/**
 * One node of the cluster, as the client sees it: where it listens for CQL, its place in the
 * topology and whether the client currently considers it up. Instances are kept and updated in
 * place for the cluster's life, so a reference stays current.
 */
export class Host {
  /** The native-protocol (rpc) address, as the node reports it. */
  readonly address: string;
  readonly port: number;
  /** `address:port` (IPv6 in brackets): the key used in `NoHostAvailableError.errors`. */
  readonly endpoint: string;
  /**
   * The DNS name this node was reached by when it is one of the contact points given by name;
   * over TLS its certificate is verified against that name. Undefined for nodes given by address
   * or found only through system.peers (verified by address).
   */
  readonly hostname: string | undefined;
  dataCenter: string | undefined = undefined;
  rack: string | undefined = undefined;
  /** The node's Murmur3 tokens, as decimal strings. */
  tokens: readonly string[] = [];
  /** The node's host_id (a UUID string). */
  hostId: string | undefined = undefined;
  releaseVersion: string | undefined = undefined;
  /** False from the moment the node is known to be unreachable until it answers again. */
  isUp = true;

  constructor(address: string, port: number, hostname?: string) {
    this.address = address;
    this.port = port;
    this.endpoint = formatEndpoint(address, port);
    this.hostname = hostname;
  }

  /** @internal Applies what the system tables say. */
  update(facts: HostFacts): void {
    if (facts.dataCenter !== undefined) this.dataCenter = facts.dataCenter;
    if (facts.rack !== undefined) this.rack = facts.rack;
    if (facts.tokens !== undefined) this.tokens = facts.tokens;
    if (facts.hostId !== undefined) this.hostId = facts.hostId;
    if (facts.releaseVersion !== undefined) this.releaseVersion = facts.releaseVersion;
  }

  toJSON(): Record<string, unknown> {
    return {
      address: this.address,
      port: this.port,
      dataCenter: this.dataCenter,
      rack: this.rack,
      isUp: this.isUp,
      hostId: this.hostId,
    };
  }
}
