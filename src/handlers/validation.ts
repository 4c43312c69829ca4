import { apiError } from "../errors";

type ValidationResult =
  | { success: true }
  | {
      success: false;
      error: {
        issues: ReadonlyArray<{ code?: string; path: ReadonlyArray<PropertyKey>; message: string; keys?: string[] }>;
      };
    };

/**
 * zod-validator hook: the first issue becomes an OpenAI-shaped 400 naming the offending field; a field outside the
 * accepted parameters is `unknown_parameter` (src/schemas.ts states the policy).
 */
export function validationHook(result: ValidationResult): void {
  if (result.success) return;
  const issue = result.error.issues[0];
  if (issue?.code === "unrecognized_keys" && issue.keys?.length) {
    const param = [...issue.path.map(String), issue.keys[0]].join(".");
    throw apiError(400, `unknown parameter: ${param}`, "unknown_parameter", "invalid_request_error", param);
  }
  const param = issue?.path.length ? issue.path.map(String).join(".") : null;
  const message = issue ? `${param ? `${param}: ` : ""}${issue.message}` : "invalid request body";
  throw apiError(400, message, "invalid_request", "invalid_request_error", param);
}
