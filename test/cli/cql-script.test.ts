import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/cli/cql-script.js';

describe('splitStatements', () => {
  it('splits at ; and gives each statement its starting line', () => {
    const split = splitStatements(
      'CREATE TABLE t (k int PRIMARY KEY);\n\nINSERT INTO t (k) VALUES (1);\nSELECT * FROM t;\n',
    );
    expect(split.statements).toEqual([
      { text: 'CREATE TABLE t (k int PRIMARY KEY)', line: 1 },
      { text: 'INSERT INTO t (k) VALUES (1)', line: 3 },
      { text: 'SELECT * FROM t', line: 4 },
    ]);
    expect(split.rest).toBe('');
    expect(split.restOpen).toBe(false);
  });

  it("keeps a ; inside a string (with '' escapes), a quoted name, a $$ string and comments", () => {
    const text = [
      "INSERT INTO t (k, v) VALUES (1, 'a;b''c;');",
      'SELECT "odd;name" FROM t; -- trailing; comment',
      '/* a; block\n comment */ SELECT $$x;y$$ FROM t;',
      '// only a comment;',
      'SELECT 1 // line; comment',
      ';',
    ].join('\n');
    expect(splitStatements(text).statements).toEqual([
      { text: "INSERT INTO t (k, v) VALUES (1, 'a;b''c;')", line: 1 },
      { text: 'SELECT "odd;name" FROM t', line: 2 },
      { text: '-- trailing; comment\n/* a; block\n comment */ SELECT $$x;y$$ FROM t', line: 2 },
      { text: '// only a comment;\nSELECT 1 // line; comment', line: 5 },
    ]);
  });

  it('reports an unfinished last statement, and whether it is inside a string', () => {
    expect(splitStatements('SELECT 1; SELECT 2')).toMatchObject({ rest: 'SELECT 2', restLine: 1, restOpen: false });
    expect(splitStatements("SELECT 1;\nINSERT INTO t (v) VALUES ('open;")).toMatchObject({
      rest: "INSERT INTO t (v) VALUES ('open;",
      restLine: 2,
      restOpen: true,
    });
    expect(splitStatements('SELECT 1; -- nothing after\n')).toMatchObject({ rest: '', restOpen: false });
  });
});
