// Values echoed in error messages are cut short: a message must name what was wrong, not
// repeat a 40 KB array someone passed by mistake.

const MAX_CHARS = 80;

/** A value in a message: objects by their class (an NDArray prints many lines). */
function item(v: unknown): string {
  return v !== null && typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : String(v);
}

/** `String(value)` (arrays summarised by kind and length, other objects by class), at most 80 characters. */
export function describe(value: unknown): string {
  let s: string;
  if (Array.isArray(value))
    s = `an array of length ${value.length} [${value.slice(0, 4).map(item).join(', ')}${value.length > 4 ? ', ...' : ''}]`;
  else if (ArrayBuffer.isView(value)) s = `a ${value.constructor.name} of ${value.byteLength} bytes`;
  else if (typeof value === 'string') s = JSON.stringify(value);
  else s = item(value);
  return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 3)}...` : s;
}
