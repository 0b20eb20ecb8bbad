/**
 * A prototype for objects that stand in for a built-in (`Request`, `Response`, `Headers`) and
 * build the real one only when asked for more than the few members they answer themselves. The
 * sandbox's hot path reads a method, a URL, a status or a header by name; building and validating
 * the real object for that costs more than the answer (npm run bench). Stand-ins are created with
 * `Object.create(prototype)`, so `instanceof` holds, and every member of `base` that `own` does not
 * define reads from the real object, which `realOf` builds once and keeps.
 */
export function lazyPrototype<Self extends object>(
  base: object,
  own: PropertyDescriptorMap,
  realOf: (self: Self) => object,
): object {
  const prototype = Object.create(base, own) as object;
  for (const key of Reflect.ownKeys(base)) {
    if (key === 'constructor' || Object.hasOwn(own, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(base, key)!;
    if (descriptor.get) {
      Object.defineProperty(prototype, key, {
        get(this: Self): unknown {
          return Reflect.get(realOf(this), key) as unknown;
        },
      });
    } else if (typeof descriptor.value === 'function') {
      Object.defineProperty(prototype, key, {
        value(this: Self, ...args: unknown[]) {
          const real = realOf(this);
          return (Reflect.get(real, key) as (...a: unknown[]) => unknown).apply(real, args);
        },
      });
    }
  }
  return prototype;
}
