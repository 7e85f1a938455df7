// Error classes named after the Python exceptions MXNet raises, so ported tests can assert
// the same kind of failure (`expect(f).toThrow(ValueError)`).

/** Where MXNet fails a Python `assert` (mismatching shapes, names or attributes). */
export class AssertionError extends Error {
  /** `'AssertionError'`. */
  override name = 'AssertionError';
}
/** Where MXNet raises `ValueError` (an argument with a wrong value). */
export class ValueError extends Error {
  /** `'ValueError'`. */
  override name = 'ValueError';
}
/** Where MXNet raises `RuntimeError` (e.g. the gradient of a parameter with grad_req 'null'). */
export class RuntimeError extends Error {
  /** `'RuntimeError'`. */
  override name = 'RuntimeError';
}
/** Where MXNet raises `NotImplementedError` (e.g. `forward` of an abstract block or cell). */
export class NotImplementedError extends Error {
  /** `'NotImplementedError'`. */
  override name = 'NotImplementedError';
}
/** Python's `_indent(s, n)` (gluon/utils.py): indents every line but the first. */
export function indent(s: string, numSpaces: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(numSpaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

/** MXNet's `_brief_print_list`: at most 7 quoted names, first 3 and last 4 around '...'. */
export function briefPrintList(lst: readonly string[], limit = 7): string {
  if (lst.length > limit) {
    return `${briefPrintList(lst.slice(0, Math.floor(limit / 2)), limit)}, ..., ${briefPrintList(lst.slice(-Math.ceil(limit / 2)), limit)}`;
  }
  return lst.map((i) => `'${i}'`).join(', ');
}

/** Gluon's warnings.warn: one console line. */
export function warn(msg: string): void {
  console.warn(`gluon-rnn-wasm: ${msg}`);
}
