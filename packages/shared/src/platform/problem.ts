/** RFC 9457 problem details: the one shape of every HTTP error Forecourt returns. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function problem(status: number, detail: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return {
    type: extra.type ?? "about:blank",
    title: extra.title ?? TITLES[status] ?? "Error",
    status,
    detail,
    ...extra,
  };
}

export function problemResponse(details: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(details), {
    status: details.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}
