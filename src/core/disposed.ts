/** What a policy or value function holds after dispose(): any use throws a clear Error. */
export function disposedCore<T extends object>(owner: string): T {
  const fail = (): never => {
    throw new Error(`${owner}: used after dispose() (its memory was freed; create a new one)`);
  };
  return new Proxy({} as T, { get: fail, set: fail, has: fail });
}
