interface Entry<K, V> {
  key: K;
  value: V;
  older: Entry<K, V> | undefined;
  newer: Entry<K, V> | undefined;
}

/**
 * A Map that knows its least recently used entry, with every operation O(1): a hash map of the
 * entries, chained from oldest to newest. Not a `Map` evicted through `keys().next()`: V8 keeps
 * deleted entries as holes until the table is rebuilt, so taking the first key again and again
 * walks over thousands of holes (measured: 2 µs to 122 µs per eviction at 10,000 entries).
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, Entry<K, V>>();
  #oldest: Entry<K, V> | undefined;
  #newest: Entry<K, V> | undefined;

  get size(): number {
    return this.#entries.size;
  }

  /** The value of `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#unlink(entry);
    this.#append(entry);
    return entry.value;
  }

  /** The value of `key`, leaving the order alone. */
  peek(key: K): V | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Sets `key` to `value`, as the most recently used. */
  set(key: K, value: V): void {
    const entry = this.#entries.get(key);
    if (entry) {
      entry.value = value;
      this.#unlink(entry);
      this.#append(entry);
      return;
    }
    const created: Entry<K, V> = { key, value, older: undefined, newer: undefined };
    this.#entries.set(key, created);
    this.#append(created);
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#unlink(entry);
    this.#entries.delete(key);
    return true;
  }

  /** The least recently used entry, or undefined when empty. */
  oldest(): [K, V] | undefined {
    return this.#oldest && [this.#oldest.key, this.#oldest.value];
  }

  #unlink(entry: Entry<K, V>) {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  #append(entry: Entry<K, V>) {
    entry.older = this.#newest;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }
}
