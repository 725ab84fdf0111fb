/**
 * @module test/helpers/setup
 * Preloaded by `bun test`: nothing global beyond making test runs deterministic in timezone.
 */
process.env.TZ = "UTC";
