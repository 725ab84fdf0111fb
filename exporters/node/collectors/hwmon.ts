/**
 * @module exporters/node/collectors/hwmon
 * Hardware sensors from /sys/class/hwmon (like lm-sensors), following node_exporter's naming: the chip
 * label comes from the resolved `device` link (`<bus>_<device>`, cleaned), else the `name` file, else
 * `hwmonN`; sensor files `<type><n>_<property>` (in hwmonN and hwmonN/device) become
 * node_hwmon_<type>[_<property>]<unit> with unit conversions (milli → base units, µW → W, µJ → J).
 * --collector.hwmon.chip-include / chip-exclude filter chips by that label.
 */
import { lstat, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FamilySet, NoDataError, type NodeCollector, listDir, listDirOptional, readOptional } from "../collector.ts";

const SENSOR_TYPES = new Set(["vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy", "humidity", "intrusion", "freq"]);
const FILENAME = /^([^0-9]+)([0-9]*)?(_(.+))?$/;

/** Lower-cases and replaces characters outside `[a-z0-9:_]` with `_`, trimming underscores. */
export function cleanMetricName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9:_]/g, "_").replace(/^_+|_+$/g, "");
}

/** node_exporter's chip label for a hwmon directory. */
async function hwmonName(dir: string, signal: AbortSignal): Promise<string> {
  try {
    const dev = await realpath(join(dir, "device"));
    const devName = cleanMetricName(basename(dev));
    const devType = cleanMetricName(basename(dirname(dev)));
    if (devType !== "" && devName !== "") return `${devType}_${devName}`;
    if (devName !== "") return devName;
  } catch {
    // no device link: fall through
  }
  const name = await readOptional(join(dir, "name"), signal);
  if (name) {
    const c = cleanMetricName(name);
    if (c !== "") return c;
  }
  const c = cleanMetricName(basename(await realpath(dir)));
  if (c !== "") return c;
  throw new Error(`could not derive a monitoring name for ${dir}`);
}

/** Reads sensor files of `dir` into sensor → property → raw value. */
async function collectSensorData(dir: string, data: Map<string, Map<string, string>>, signal: AbortSignal): Promise<void> {
  for (const f of await listDir(dir, signal)) {
    const m = FILENAME.exec(f);
    if (!m || !SENSOR_TYPES.has(m[1]!)) continue;
    const sensor = m[1]! + String(m[2] ? Number(m[2]) : 0);
    const value = await readOptional(join(dir, f), signal);
    if (value === null) continue;
    let props = data.get(sensor);
    if (!props) data.set(sensor, (props = new Map()));
    props.set(m[4] ?? "", value);
  }
}

/** The hwmon collector. */
export function hwmon(): NodeCollector {
  return {
    async update(ctx) {
      const inc = ctx.opt("collector.hwmon.chip-include");
      const exc = ctx.opt("collector.hwmon.chip-exclude");
      const include = inc ? new RegExp(inc) : null;
      const exclude = exc ? new RegExp(exc) : null;
      const base = ctx.sys("class/hwmon");
      const entries = await listDirOptional(base, ctx.signal);
      if (entries.length === 0) throw new NoDataError("hwmon collector metrics are not available for this system");
      const fs = new FamilySet();
      const labelHelp = ["chip", "sensor"];
      void labelHelp;
      // First pass: chip labels. Chips sharing a device (several hwmon dirs under one device) get their
      // cleaned `name` appended so each label stays unique, as newer node_exporter releases do.
      const chips: { dir: string; chip: string }[] = [];
      for (const e of entries) {
        const dir = join(base, e);
        try {
          const st = (await lstat(dir)).isSymbolicLink() ? await stat(dir) : await lstat(dir);
          if (!st.isDirectory()) continue;
        } catch {
          continue;
        }
        chips.push({ dir, chip: await hwmonName(dir, ctx.signal) });
      }
      const counts = new Map<string, number>();
      for (const c of chips) counts.set(c.chip, (counts.get(c.chip) ?? 0) + 1);
      for (const c of chips) {
        if ((counts.get(c.chip) ?? 0) < 2) continue;
        const n = cleanMetricName((await readOptional(join(c.dir, "name"), ctx.signal)) ?? "");
        if (n !== "") c.chip = `${c.chip}_${n}`;
      }
      for (const { dir, chip } of chips) {
        if (include && !include.test(chip)) continue;
        if (exclude && exclude.test(chip)) continue;
        const data = new Map<string, Map<string, string>>();
        await collectSensorData(dir, data, ctx.signal);
        try {
          if ((await stat(join(dir, "device"))).isDirectory()) await collectSensorData(join(dir, "device"), data, ctx.signal);
        } catch {
          // no device directory
        }
        const chipName = await readOptional(join(dir, "name"), ctx.signal);
        if (chipName) {
          const c = cleanMetricName(chipName);
          if (c !== "") fs.gauge("node_hwmon_chip_names", "Annotation metric for human-readable chip names", 1, { chip, chip_name: c });
        }
        for (const [sensor, props] of data) {
          const type = FILENAME.exec(sensor)![1]!;
          const labels = { chip, sensor };
          const label = props.get("label");
          if (label !== undefined) fs.gauge("node_hwmon_sensor_label", "Label for given chip and sensor", 1, { chip, sensor, label });
          if (type === "beep_enable") {
            fs.gauge("node_hwmon_beep_enabled", "Hardware beep enabled", props.get("") === "1" ? 1 : 0, labels);
            continue;
          }
          if (type === "vrm" || type === "update_interval") {
            const v = Number(props.get(""));
            if (Number.isNaN(v)) continue;
            if (type === "vrm") fs.gauge("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", v, labels);
            else fs.gauge("node_hwmon_update_interval_seconds", "Hardware monitor update interval", v * 0.001, labels);
            continue;
          }
          const prefix = `node_hwmon_${type}`;
          for (const [element0, raw] of props) {
            let element = element0;
            if (element === "label") continue;
            let name = prefix;
            if (element === "input") {
              if (props.has("")) name += "_input";
            } else if (element !== "") name += "_" + cleanMetricName(element);
            const v = Number(raw);
            if (raw.trim() === "" || Number.isNaN(v)) continue;
            if (element === "fault" || element === "alarm") {
              fs.gauge(name, `Hardware sensor ${element} status (${type})`, v, labels);
            } else if (element === "beep") {
              fs.gauge(name + "_enabled", "Hardware monitor sensor has beeping enabled", v, labels);
            } else if (type === "in" || type === "cpu") {
              fs.gauge(name + "_volts", `Hardware monitor for voltage (${element})`, v * 0.001, labels);
            } else if (type === "temp" && element !== "type") {
              if (element === "") element = "input";
              fs.gauge(name + "_celsius", `Hardware monitor for temperature (${element})`, v * 0.001, labels);
            } else if (type === "curr") {
              fs.gauge(name + "_amps", `Hardware monitor for current (${element})`, v * 0.001, labels);
            } else if (type === "energy") {
              fs.counter(name + "_joule_total", `Hardware monitor for joules used so far (${element})`, v / 1000000, labels);
            } else if (type === "power" && element === "accuracy") {
              fs.gauge(name, "Hardware monitor power meter accuracy, as a ratio", v / 1000000, labels);
            } else if (type === "power" && /^average_interval(_min|_max)?$/.test(element)) {
              fs.gauge(name + "_seconds", `Hardware monitor power usage update interval (${element})`, v * 0.001, labels);
            } else if (type === "power") {
              fs.gauge(name + "_watt", `Hardware monitor for power usage in watts (${element})`, v / 1000000, labels);
            } else if (type === "humidity") {
              fs.gauge(name, `Hardware monitor for humidity (${element})`, v * 0.001, labels);
            } else if (type === "fan" && ["input", "min", "max", "target"].includes(element)) {
              fs.gauge(name + "_rpm", `Hardware monitor for fan revolutions per minute (${element})`, v, labels);
            } else if (type === "freq" && element === "input") {
              if (label !== undefined) fs.gauge(name + "_freq_mhz", "Hardware monitor for GPU frequency in MHz", v / 1000000, { chip, sensor: cleanMetricName(label) });
            } else {
              fs.gauge(name, `Hardware monitor ${type} element ${element}`, v, labels);
            }
          }
        }
      }
      return fs.families();
    },
  };
}
