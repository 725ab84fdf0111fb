/**
 * @module core/app/default-config
 * The configuration Quiver runs with when --config.file is not given: scrape itself and the built-in
 * node exporter every 15 s, so a fresh install shows its own machine at once.
 */

/**
 * Returns the embedded default prometheus.yml. `selfTarget` is the address Quiver listens on, as a
 * scrape target (`localhost:9090`).
 */
export function defaultConfigYaml(selfTarget: string): string {
  return `# Quiver's embedded default configuration (used when --config.file is not given).
global:
  scrape_interval: 15s
  evaluation_interval: 15s

scrape_configs:
  - job_name: quiver
    static_configs:
      - targets: [${JSON.stringify(selfTarget)}]

  # Metrics pushed by batch jobs to Quiver's Pushgateway-compatible API (/metrics/job/<job>…).
  - job_name: pushgateway
    honor_labels: true
    metrics_path: /push/metrics
    static_configs:
      - targets: [${JSON.stringify(selfTarget)}]

  # The built-in node exporter plugin, scraped in-process (no HTTP round trip).
  - job_name: node
    plugin: node_exporter
    static_configs:
      - targets: ["localhost:9100"]

plugins:
  node_exporter: {}
`;
}
