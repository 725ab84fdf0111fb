/**
 * @module core/model/target-group
 * Target groups, the unit service discovery produces (same fields as Prometheus's targetgroup.Group).
 */

/** A set of targets sharing labels, identified by a source string unique within its discoverer. */
export interface TargetGroup {
  /** Each target is a label set, at least `__address__`. */
  targets: Array<Record<string, string>>;
  /** Labels common to all targets (`__meta_*` and user labels). */
  labels: Record<string, string>;
  /** Identifies the group within one discoverer; a group with the same source replaces the old one. */
  source: string;
}
