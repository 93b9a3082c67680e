declare module 'cloudflare:workers' {
  // The Worker under test (src/index.ts) is the main module of the pool.
  export const exports: { default: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> } }
}
