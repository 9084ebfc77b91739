// Fields of an object computed the first time one of them is read: an item's body (markdown-it)
// and, for an item from a cache, its front matter's values and lines. Listing 10,000 items reads
// neither.

/**
 * A function that gives an object the fields `keys` of `compute(state)`, computed once, when the
 * first of them is read. The accessors are made once and shared (one `defineProperties` per
 * object, no closures of its own), and each object's state is kept beside it, not on it, so that
 * the object's own keys stay those of its type. A field assigned to becomes a plain value; a copy
 * made with spread (`{ ...item }`) reads each field, and so holds plain values.
 */
export function lazyFields<S, V extends object>(keys: readonly (keyof V & string)[], compute: (state: S) => V): <T extends object>(target: T, state: S) => T & V {
  const states = new WeakMap<object, { state: S; value?: V }>();
  const descriptors: PropertyDescriptorMap = {};
  for (const key of keys) {
    descriptors[key] = {
      enumerable: true,
      configurable: true,
      get(this: object): unknown {
        const lazy = states.get(this);
        // Accessors copied onto another object by Object.defineProperties: nothing to show there.
        if (!lazy) return undefined;
        lazy.value ??= compute(lazy.state);
        return lazy.value[key];
      },
      set(this: object, value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
    };
  }
  return <T extends object>(target: T, state: S): T & V => {
    states.set(target, { state });
    Object.defineProperties(target, descriptors);
    return target as T & V;
  };
}
