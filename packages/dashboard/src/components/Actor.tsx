/** Who did something: the audit log's actor, or only its name where that is all a row keeps (a flag's `updatedBy`). */
export interface ActorRef {
  id?: string;
  name: string;
}

/**
 * Who did something, in words. Machine actors carry their kind as a prefix (`rollout:<flag>`, `alert:<rule name>`,
 * see rolloutActor and evaluate.ts); the id decides the kind when known, else the name. People are named as they are.
 * @example actorWords({ id: 'alert:r1', name: 'alert:p95 latency' }) // 'the alert rule “p95 latency”'
 */
export function actorWords({ id, name }: ActorRef): string {
  const kind = id ?? name;
  if (kind.startsWith('rollout:')) return 'the rollout controller';
  if (kind.startsWith('alert:')) return `the alert rule “${name.replace(/^alert:/, '')}”`;
  return name;
}

/** Several actors in words, each once, in the order given: "ana@example.com and the rollout controller". */
export function actorsWords(actors: readonly ActorRef[]): string {
  const names = [...new Set(actors.map(actorWords))];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/** An actor in words, the raw name in the title (the form logs and the API use) when the words differ. */
export function Actor({ actor }: { actor: ActorRef }) {
  const words = actorWords(actor);
  return (
    <span data-actor={actor.name} title={words === actor.name ? undefined : actor.name}>
      {words}
    </span>
  );
}
