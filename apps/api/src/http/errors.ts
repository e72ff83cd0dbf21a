/** Errors only the HTTP edge raises. */
export class UnsupportedMediaTypeError extends Error {
  constructor(readonly contentType: string | null, options?: ErrorOptions) {
    super(`request bodies must be application/json, got ${contentType ? `"${contentType}"` : "no content type"}`, options);
    this.name = "UnsupportedMediaTypeError";
  }
}

export class ContentTooLargeError extends Error {
  constructor(readonly limit: number, readonly size: number, options?: ErrorOptions) {
    super(`request bodies may hold at most ${limit} bytes, got ${size}`, options);
    this.name = "ContentTooLargeError";
  }
}

/** A body that is well-formed but names a model the catalog does not have (422, RFC 9110 §15.5.21). */
export class UnknownModelError extends Error {
  constructor(readonly modelCode: string, options?: ErrorOptions) {
    super(`modelCode "${modelCode}" is not in the catalog; see /api/models`, options);
    this.name = "UnknownModelError";
  }
}
