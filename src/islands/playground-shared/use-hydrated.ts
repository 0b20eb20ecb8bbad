import { useEffect, useState } from 'react';

/**
 * False in the server-rendered HTML and until React has hydrated the island: controls stay
 * disabled until a click can be handled.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
