/**
 * @module core/storage/errors
 * Errors an Appender throws for a single rejected sample. Messages match Prometheus's so remote-write
 * clients and logs read the same.
 */
import { QuiverError } from "../util/errors.ts";

/** The sample is older than the series' newest sample and outside the out-of-order window. */
export class OutOfOrderSampleError extends QuiverError {
  constructor() {
    super("bad_data", "out of order sample");
  }
}

/** A sample with the same timestamp but a different value already exists. */
export class DuplicateSampleError extends QuiverError {
  constructor() {
    super("bad_data", "duplicate sample for timestamp");
  }
}

/** The sample is older than the head's lower bound (and the out-of-order window). */
export class TooOldSampleError extends QuiverError {
  constructor() {
    super("bad_data", "too old sample");
  }
}

/** The sample's time is outside the range the store accepts. */
export class OutOfBoundsError extends QuiverError {
  constructor() {
    super("bad_data", "out of bounds");
  }
}

/** The store failed to read or write (I/O). Maps to errorType "internal". */
export class StorageError extends QuiverError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("internal", message, options);
  }
}
