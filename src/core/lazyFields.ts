// Fields of an object computed the first time one of them is read: an item's body (markdown-it)
// and the lines of its front-matter keys and, for an item from a cache, its front matter's
// values. Listing 10,000 items reads none of them.

/** One group of `lazyFieldGroups`: its fields, all computed together from the shared state. */
export interface LazyGroup<S, V extends object> {
  keys: readonly (keyof V & string)[];
  compute: (state: S) => Partial<V>;
}

/**
 * A function that gives an object the fields of each group, computed from the object's state
 * once, when the first of that group's fields is read: reading a body field parses the body, not
 * the front matter. The accessors are made once and shared (one `defineProperties` per object,
 * no closures of its own), and each object's state is kept on it under a symbol that is not
 * enumerable, so that the object's enumerable keys stay those of its type. A field assigned to
 * becomes a plain value; a copy made with spread (`{ ...item }`) reads each field, and so holds
 * plain values.
 */
export function lazyFieldGroups<S, V extends object>(groups: readonly LazyGroup<S, V>[]): <T extends object>(target: T, state: S) => T & V {
  // Each object's state sits on it under a symbol of its own, not enumerable: spread, JSON,
  // structuredClone and deepStrictEqual pass it by. (A WeakMap beside the objects cost the
  // garbage collector more than the accessors cost, with tens of thousands of items.)
  const STATE = Symbol('lazy fields');
  type Lazy = { state: S; values?: (Partial<V> | undefined)[] };
  const descriptors: PropertyDescriptorMap = {};
  groups.forEach(({ keys, compute }, group) => {
    for (const key of keys) {
      descriptors[key] = {
        enumerable: true,
        configurable: true,
        get(this: object): unknown {
          const lazy = (this as { [STATE]?: Lazy })[STATE];
          // Accessors copied onto another object by Object.defineProperties: nothing to show there.
          if (!lazy) return undefined;
          const values = (lazy.values ??= []);
          return (values[group] ??= compute(lazy.state))[key];
        },
        set(this: object, value: unknown) {
          Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
        },
      };
    }
  });
  return <T extends object>(target: T, state: S): T & V => {
    Object.defineProperty(target, STATE, { value: { state } satisfies Lazy });
    Object.defineProperties(target, descriptors);
    return target as T & V;
  };
}
