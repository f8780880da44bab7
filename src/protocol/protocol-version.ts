/** The protocol versions cqlwire speaks (spec version byte, low 7 bits). */
export type ProtocolVersion = 3 | 4 | 5;

/**
 * The highest version first: the order in which a client tries them, downgrading on a version
 * error as the DataStax drivers do (docs/architecture.md, "Version negotiation").
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [5, 4, 3];

/** True for a version number cqlwire can speak. */
export function isSupportedProtocolVersion(v: number): v is ProtocolVersion {
  return v === 3 || v === 4 || v === 5;
}
