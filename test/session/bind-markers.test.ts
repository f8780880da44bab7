import { describe, expect, it } from 'vitest';
import { countBindMarkers } from '../../src/session/index.js';

describe('countBindMarkers', () => {
  it('counts ? outside literals, quoted names and comments', () => {
    expect(countBindMarkers('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(3);
    expect(countBindMarkers("SELECT * FROM t WHERE a = '?' AND b = 'it''s ?' AND c = ?")).toBe(1);
    expect(countBindMarkers('SELECT "odd?name" FROM t WHERE k = ?')).toBe(1);
    expect(countBindMarkers('SELECT $$ what? $$ FROM t -- why?\nWHERE k = ? // really?\n')).toBe(1);
    expect(countBindMarkers('SELECT * /* a ? here */ FROM t WHERE k = ?')).toBe(1);
    expect(countBindMarkers('SELECT * FROM t')).toBe(0);
  });

  it('gives up (undefined) on named markers, but not on map literals or casts', () => {
    expect(countBindMarkers('SELECT * FROM t WHERE k = :k AND c = ?')).toBeUndefined();
    expect(countBindMarkers("INSERT INTO t (k, m) VALUES (?, {'a': 1, 'b':2})")).toBe(1);
    expect(countBindMarkers("SELECT * FROM t WHERE ts > '2024-01-01 10:00:00' AND k = ?")).toBe(1);
  });
});
