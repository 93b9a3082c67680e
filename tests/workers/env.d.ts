declare namespace Cloudflare {
  // The pool runs src/index.ts as the main module: `exports.default` is the Worker under test.
  interface GlobalProps {
    mainModule: typeof import('../../src/index')
  }
}
