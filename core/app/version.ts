/**
 * @module core/app/version
 * Quiver's version, reported by --version, /api/v1/status/buildinfo and prometheus_build_info.
 */

/** Semantic version of this build. */
export const VERSION = "0.1.0";
