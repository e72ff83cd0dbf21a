/** Dealer errors: the `bun run dealers` CLI prints their messages as they are; the HTTP edge maps the auth ones. */
export class InvalidDealerNameError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidDealerNameError";
  }
}

export class DealerExistsError extends Error {
  constructor(readonly dealer: string, options?: ErrorOptions) {
    super(`dealer ${dealer} already exists with a key; revoke it first to issue a new one`, options);
    this.name = "DealerExistsError";
  }
}

export class DealerNotFoundError extends Error {
  constructor(readonly dealer: string, options?: ErrorOptions) {
    super(`no dealer ${dealer} with a key to revoke`, options);
    this.name = "DealerNotFoundError";
  }
}

/** A write without a key, or with one that is malformed, unknown or revoked (401, RFC 6750). */
export class UnauthorizedError extends Error {
  constructor(message: string, readonly presented: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnauthorizedError";
  }
}

/** The dealer has used up its writes for now (429, with how long to wait). */
export class RateLimitedError extends Error {
  constructor(readonly dealer: string, readonly retryAfterSeconds: number, options?: ErrorOptions) {
    super(`dealer ${dealer} is over its write rate; retry in ${retryAfterSeconds} s`, options);
    this.name = "RateLimitedError";
  }
}
