declare module '@peertube/http-signature' {
  const httpSignature: {
    parseRequest(request: unknown, options?: Record<string, unknown>): { keyId: string }
    verifySignature(parsed: unknown, pem: string): boolean
    signRequest(request: unknown, options: Record<string, unknown>): boolean
  }
  export default httpSignature
}
