/**
 * The rollout state machine of one language: canary → promote | rollback | abort. Pure, like `decideRoute`: every input
 * is an argument, every outcome a named reason. The caller applies an accepted transition to the manifest by
 * compare-and-swap (src/registry/manifest-store.ts) and records the returned event in the history.
 *
 * States: `stable` (one adapter serves the language) and `canary` (a second adapter serves `share` of it).
 * - `publish`:  no adapter → stable: the first published version of a language becomes its stable adapter.
 * - `canary`:   stable → canary. The new version must carry its sha256 and differ from the stable one.
 * - `promote`:  canary → stable; the canary becomes the stable adapter, the old stable goes on the `previous` stack.
 * - `rollback`: canary → stable by dropping the canary (the stable adapter *is* the previous stable); from a plain
 *               stable state, the last `previous` adapter becomes stable again.
 * - `abort`:    canary → stable by dropping the canary, without a verdict on it (an operator's change of plan).
 */
import { type AdapterRef, type LanguageEntry, PREVIOUS_STABLE_KEPT } from "../../adapters/manifest";

export type RolloutCommand =
  | { action: "publish"; adapter: AdapterRef }
  | {
      action: "canary";
      adapter: AdapterRef;
      share: number;
      autoPromoteAfter?: number;
      guard?: NonNullable<LanguageEntry["canary"]>["guard"];
      at: string;
    }
  | { action: "promote" }
  | { action: "rollback" }
  | { action: "abort" };

export type RolloutRefusal =
  | "has-stable" // publish makes a first version stable; later versions go through a canary
  | "no-stable" // a canary needs a stable adapter to compare with and fall back to
  | "canary-in-progress" // one canary at a time: promote, roll back or abort the running one first
  | "same-as-stable" // the canary names the version already stable
  | "same-served-name" // upstreams serve adapters by name: a canary beside the stable adapter needs its own name
  | "unverified-adapter" // the adapter has no sha256: the worker never routes to it
  | "no-canary" // promote or abort with no canary running
  | "no-previous" // rollback with neither a canary nor an earlier stable adapter
  | "stale-canary"; // the canary running is not the one the caller judged (the guard lost a race)

export type RolloutResult =
  | { ok: true; entry: LanguageEntry }
  | { ok: false; refusal: RolloutRefusal; message: string; status: 404 | 409 };

const refuse = (refusal: RolloutRefusal, message: string, status: 404 | 409 = 409): RolloutResult => ({
  ok: false,
  refusal,
  message,
  status,
});

const label = (ref: AdapterRef) => `${ref.name}@${ref.version}`;

/**
 * Apply one command to a language's entry.
 * @param expectCanary when set, the command applies only while this exact canary version is running (the guard
 *   passes the version it measured, so that a decision about an old canary never touches a new one)
 */
export function applyRollout(
  entry: LanguageEntry | undefined,
  command: RolloutCommand,
  expectCanary?: string,
): RolloutResult {
  const current: LanguageEntry = entry ?? {};
  if (expectCanary !== undefined && current.canary?.adapter.version !== expectCanary)
    return refuse("stale-canary", `the running canary is not version ${expectCanary}`);
  switch (command.action) {
    case "publish": {
      if (current.adapter) return refuse("has-stable", `${label(current.adapter)} is stable: start a canary instead`);
      if (!command.adapter.sha256)
        return refuse("unverified-adapter", `${label(command.adapter)} has no sha256: publish it first`);
      return { ok: true, entry: { ...current, adapter: command.adapter } };
    }
    case "canary": {
      if (!current.adapter) return refuse("no-stable", "a canary needs a stable adapter beside it");
      if (current.canary)
        return refuse("canary-in-progress", `canary ${label(current.canary.adapter)} is running: end it first`);
      if (!command.adapter.sha256)
        return refuse("unverified-adapter", `${label(command.adapter)} has no sha256: publish it first`);
      if (command.adapter.name === current.adapter.name && command.adapter.version === current.adapter.version)
        return refuse("same-as-stable", `${label(command.adapter)} is already the stable adapter`);
      if (command.adapter.name === current.adapter.name)
        return refuse(
          "same-served-name",
          `the upstream is asked for adapters by name, and '${command.adapter.name}' is the stable adapter's: publish the canary under its own name`,
        );
      const canary: NonNullable<LanguageEntry["canary"]> = {
        adapter: command.adapter,
        share: command.share,
        startedAt: command.at,
      };
      if (command.autoPromoteAfter !== undefined) canary.autoPromoteAfter = command.autoPromoteAfter;
      if (command.guard !== undefined) canary.guard = command.guard;
      return { ok: true, entry: { ...current, canary } };
    }
    case "promote": {
      if (!current.canary || !current.adapter) return refuse("no-canary", "no canary is running", 409);
      const { canary: _dropped, ...rest } = current;
      const previous = [...(current.previous ?? []), current.adapter].slice(-PREVIOUS_STABLE_KEPT);
      return { ok: true, entry: { ...rest, adapter: current.canary.adapter, previous } };
    }
    case "rollback": {
      if (current.canary) {
        const { canary: _dropped, ...rest } = current;
        return { ok: true, entry: rest };
      }
      const previous = current.previous ?? [];
      const restored = previous.at(-1);
      if (!restored) return refuse("no-previous", "there is no earlier stable adapter to roll back to");
      const rest = previous.slice(0, -1);
      const { previous: _old, ...others } = current;
      return {
        ok: true,
        entry: rest.length ? { ...others, adapter: restored, previous: rest } : { ...others, adapter: restored },
      };
    }
    case "abort": {
      if (!current.canary) return refuse("no-canary", "no canary is running", 409);
      const { canary: _dropped, ...rest } = current;
      return { ok: true, entry: rest };
    }
  }
}
