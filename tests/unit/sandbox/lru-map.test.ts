import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../src/sandbox/lru-map.ts';

describe('LruMap', () => {
  it('knows its least recently used entry: get and set make an entry the newest, peek does not', () => {
    const map = new LruMap<string, number>();
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.oldest()).toEqual(['a', 1]);
    expect(map.get('a')).toBe(1);
    expect(map.oldest()).toEqual(['b', 2]);
    expect(map.peek('b')).toBe(2);
    expect(map.oldest()).toEqual(['b', 2]);
    map.set('b', 20);
    expect(map.oldest()).toEqual(['c', 3]);
    expect(map.delete('c')).toBe(true);
    expect(map.delete('c')).toBe(false);
    expect([map.size, map.oldest()]).toEqual([2, ['a', 1]]);
    map.delete('a');
    map.delete('b');
    expect([map.size, map.oldest()]).toEqual([0, undefined]);
    map.set('d', 4);
    expect(map.oldest()).toEqual(['d', 4]);
  });

  it('evicts in order through a long run of inserts and deletes', () => {
    const map = new LruMap<number, number>();
    for (let i = 0; i < 50_000; i++) {
      map.set(i, i);
      if (map.size > 1000) map.delete(map.oldest()![0]);
    }
    expect(map.size).toBe(1000);
    expect(map.oldest()).toEqual([49_000, 49_000]);
  });
});
