/**
 * `util.inspect`'s hook, without importing `node:util` (the protocol layer stays free of Node's
 * runtime modules): Node looks methods up under this registered symbol.
 */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** The part of `util.inspect`'s options a value's inspect hook uses. */
export interface InspectStylizer {
  stylize(text: string, style: string): string;
}

/**
 * How `console.log` shows a value class: its class name and its canonical text
 * (`Uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427`, `LocalDate 2024-01-01`), coloured like a
 * special value when the output has colours. An empty text (the zero duration) is shown as `""`.
 */
export function inspectValue(value: object, text: string, options: InspectStylizer | undefined): string {
  const shown = `${value.constructor.name} ${text === '' ? '""' : text}`;
  return typeof options?.stylize === 'function' ? options.stylize(shown, 'special') : shown;
}
