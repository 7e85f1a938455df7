// The package entry's exports, read with the TypeScript compiler from ts/index.ts: every public
// options interface of the sources (not `@internal`) is exported there (flat, as a type), and
// every export of the entry carries a TSDoc comment.

import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function program(): { checker: ts.TypeChecker; files: readonly ts.SourceFile[]; entry: ts.Symbol } {
  const p = ts.createProgram([path.join(ROOT, 'ts/index.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    types: [],
  });
  const checker = p.getTypeChecker();
  const entry = checker.getSymbolAtLocation(p.getSourceFile(path.join(ROOT, 'ts/index.ts')) as ts.SourceFile);
  if (entry === undefined) throw new Error('ts/index.ts has no module symbol');
  const files = p.getSourceFiles().filter((f) => f.fileName.startsWith(path.join(ROOT, 'ts')) && !f.isDeclarationFile);
  return { checker, files, entry };
}

const { checker, files, entry } = program();
const exported = checker.getExportsOfModule(entry);

describe('package entry (ts/index.ts)', () => {
  it('exports every options interface and options type of the sources', () => {
    // By declaration, not by name: two modules may each have a `LayerNormOptions`.
    const declared = new Set(
      exported.flatMap((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).declarations ?? []),
    );
    const missing: string[] = [];
    for (const f of files) {
      for (const st of f.statements) {
        if (!(ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st))) continue;
        const isExported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        const internal = ts.getJSDocTags(st).some((t) => t.tagName.text === 'internal');
        if (isExported && !internal && /Options$/.test(st.name.text) && !declared.has(st))
          missing.push(`${st.name.text} (${path.relative(ROOT, f.fileName)})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents every export with a TSDoc comment', () => {
    const undocumented = exported
      .filter((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        const decls = target.declarations ?? [];
        // A namespace (`nd`, `gluon`, ...) is documented by its module's leading comment.
        if (decls.some((d) => ts.isSourceFile(d))) return false;
        return target.getDocumentationComment(checker).length === 0;
      })
      .map((s) => s.name);
    expect(undocumented).toEqual([]);
  });

  it('exposes nothing @internal through a namespace (a module imported whole, as mx.lr_scheduler)', () => {
    const leaked: string[] = [];
    const visit = (s: ts.Symbol, at: string, depth: number): void => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const decls = target.declarations ?? [];
      if (depth > 0 && decls.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal')))
        leaked.push(at);
      if (depth < 3 && decls.some((d) => ts.isSourceFile(d)))
        for (const m of checker.getExportsOfModule(target)) visit(m, `${at}.${m.name}`, depth + 1);
    };
    for (const s of exported) visit(s, s.name, 0);
    expect(leaked).toEqual([]);
  });
});
