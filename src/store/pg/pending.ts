// Temporary (issue 19 in progress): a port whose PostgreSQL implementation is not written yet. Every
// method rejects with a plain Error naming it; removed once each factory is real.
export function pendingPort<T extends object>(port: string): T {
  return new Proxy({} as T, {
    get: (_t, method) =>
      typeof method === 'string' && method !== 'then'
        ? () => Promise.reject(new Error(`PostgreSQL ${port}.${method} is not implemented yet`))
        : undefined,
  });
}
