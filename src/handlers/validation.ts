import { apiError } from "../errors";

type ValidationResult =
  | { success: true }
  | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };

/** zod-validator hook: the first issue becomes an OpenAI-shaped 400 naming the offending field. */
export function validationHook(result: ValidationResult): void {
  if (result.success) return;
  const issue = result.error.issues[0];
  const param = issue?.path.length ? issue.path.map(String).join(".") : null;
  const message = issue ? `${param ? `${param}: ` : ""}${issue.message}` : "invalid request body";
  throw apiError(400, message, "invalid_request", "invalid_request_error", param);
}
