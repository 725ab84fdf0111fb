/**
 * @module core/alerting/time-intervals
 * Alertmanager's time intervals (`time_intervals` / `mute_time_intervals`): a named list of ranges of
 * times of day, weekdays, days of month, months and years, in a location (IANA time zone, default UTC).
 * An instant is inside an interval when it matches every field given of at least one entry.
 */
import { configFail, expectList, expectObject, joinPath } from "../util/config-check.ts";

/** One entry of a time interval; absent fields match everything. Ranges are inclusive except times. */
export interface TimeIntervalSpec {
  /** Minutes of day [start, end). */
  times?: Array<[number, number]>;
  /** 0 = Sunday. */
  weekdays?: Array<[number, number]>;
  /** 1..31 or negative from month end. */
  daysOfMonth?: Array<[number, number]>;
  months?: Array<[number, number]>;
  years?: Array<[number, number]>;
  location?: string;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function parseRanges(raw: unknown, path: string, parse: (s: string) => number, lo: number, hi: number): Array<[number, number]> {
  return expectList(raw, path).map((x, i) => {
    const p = joinPath(path, i);
    const s = String(x).toLowerCase();
    const parts = s.split(":");
    if (parts.length > 2) configFail(p, `invalid range ${JSON.stringify(s)}`);
    const a = parse(parts[0]!.trim());
    const b = parts.length === 2 ? parse(parts[1]!.trim()) : a;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < lo || a > hi || b < lo || b > hi) configFail(p, `${JSON.stringify(s)} is out of range`);
    if (a > b && !(a < 0 && b < 0) && !(a > 0 && b < 0)) configFail(p, `start day cannot be after end day in ${JSON.stringify(s)}`);
    return [a, b] as [number, number];
  });
}

function parseClock(s: string, p: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) configFail(p, `couldn't parse timestamp ${JSON.stringify(s)}, invalid format`);
  const h = Number(m[1]), mi = Number(m[2]);
  if (h > 24 || mi > 59 || (h === 24 && mi !== 0)) configFail(p, `timestamp ${JSON.stringify(s)} out of range`);
  return h * 60 + mi;
}

/** Parses one `time_intervals` entry list (the value under a named interval). */
export function parseTimeIntervalSpecs(raw: unknown, path: string): TimeIntervalSpec[] {
  return expectList(raw, path).map((x, i) => {
    const p = joinPath(path, i);
    const o = expectObject(x, p, ["times", "weekdays", "days_of_month", "months", "years", "location"]);
    const spec: TimeIntervalSpec = {};
    if (o.times !== undefined) {
      spec.times = expectList(o.times, joinPath(p, "times")).map((t, j) => {
        const tp = joinPath(joinPath(p, "times"), j);
        const to = expectObject(t, tp, ["start_time", "end_time"]);
        const a = parseClock(String(to.start_time ?? ""), joinPath(tp, "start_time"));
        const b = parseClock(String(to.end_time ?? ""), joinPath(tp, "end_time"));
        if (b <= a) configFail(tp, "start time cannot be equal or greater than end time");
        return [a, b] as [number, number];
      });
    }
    if (o.weekdays !== undefined) spec.weekdays = parseRanges(o.weekdays, joinPath(p, "weekdays"), (s) => WEEKDAYS.indexOf(s) >= 0 ? WEEKDAYS.indexOf(s) : NaN, 0, 6);
    if (o.days_of_month !== undefined) spec.daysOfMonth = parseRanges(o.days_of_month, joinPath(p, "days_of_month"), (s) => Number(s) === 0 ? NaN : Number(s), -31, 31);
    if (o.months !== undefined) spec.months = parseRanges(o.months, joinPath(p, "months"), (s) => (MONTHS.indexOf(s) >= 0 ? MONTHS.indexOf(s) + 1 : Number(s)), 1, 12);
    if (o.years !== undefined) spec.years = parseRanges(o.years, joinPath(p, "years"), Number, 0, 9999);
    if (o.location !== undefined) {
      const loc = String(o.location);
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: loc === "Local" ? undefined : loc });
      } catch {
        configFail(joinPath(p, "location"), `unknown time zone ${loc}`);
      }
      spec.location = loc;
    }
    return spec;
  });
}

function partsIn(ms: number, tz: string | undefined): { y: number; mo: number; d: number; wd: number; min: number; dim: number } {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: tz === "Local" ? undefined : tz ?? "UTC", year: "numeric", month: "numeric", day: "numeric", hour: "numeric",
    minute: "numeric", weekday: "long", hourCycle: "h23",
  });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
  const y = Number(p.year), mo = Number(p.month);
  return {
    y, mo, d: Number(p.day), wd: WEEKDAYS.indexOf(p.weekday!.toLowerCase()),
    min: Number(p.hour) * 60 + Number(p.minute), dim: new Date(Date.UTC(y, mo, 0)).getUTCDate(),
  };
}

const inRanges = (v: number, rs: Array<[number, number]> | undefined) => !rs || rs.some(([a, b]) => v >= a && v <= b);

/** Whether the instant `ms` falls in any of the specs. */
export function timeIntervalContains(specs: readonly TimeIntervalSpec[], ms: number): boolean {
  for (const s of specs) {
    const t = partsIn(ms, s.location);
    if (s.times && !s.times.some(([a, b]) => t.min >= a && t.min < b)) continue;
    if (!inRanges(t.wd, s.weekdays)) continue;
    if (s.daysOfMonth) {
      const ok = s.daysOfMonth.some(([a, b]) => {
        const from = a < 0 ? t.dim + a + 1 : a;
        const to = b < 0 ? t.dim + b + 1 : b;
        return t.d >= from && t.d <= Math.min(to, t.dim);
      });
      if (!ok) continue;
    }
    if (!inRanges(t.mo, s.months)) continue;
    if (!inRanges(t.y, s.years)) continue;
    return true;
  }
  return false;
}
