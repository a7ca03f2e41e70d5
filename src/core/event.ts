/**
 * A normalised event. Field names are flat, dotted ECS names
 * (`source.ip`, `event.outcome`, `winlog.event_data.Image`) mapping to values;
 * docs/schema.md lists every field Mamori fills. Flat keys keep parsers,
 * detection and storage free of nested-object walking on the hot path.
 */
export type EcsScalar = string | number | boolean | null;
export type EcsValue = EcsScalar | EcsValue[] | { [key: string]: EcsValue };
export type MamoriEvent = Record<string, EcsValue | undefined>;

/** `event.kind` of an event a parser could not handle; it is still stored. */
export const PIPELINE_ERROR = 'pipeline_error';
