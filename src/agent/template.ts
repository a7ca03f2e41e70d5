/**
 * The commented starting point `mamori agent init` writes. It must load as
 * is (a test checks), so every example value is valid; the customer edits
 * the server, the token and the inputs. Reference: docs/agent.md.
 */
export function agentConfigTemplate(): string {
  return `# Mamori agent: forwards this site's logs to the SOC. Reference: docs/agent.md.

# SOC URL given by your SOC (https://...).
server: https://soc.example.net
# Ingest token of the source this agent feeds (from the SOC). Or keep it in a file:
#   token_file: /etc/mamori-agent/token   (mode 0600)
token: mmi_replace_with_your_token
# Agent name sent with every request (default: this host's name).
# name: site-tokyo-1

# TLS towards the SOC. A private CA and a client certificate (mutual TLS):
tls:
  # ca_file: /etc/mamori-agent/ca.pem
  # cert_file: /etc/mamori-agent/agent.pem
  # key_file: /etc/mamori-agent/agent.key
  # Never in production: accepts any server certificate.
  insecure_skip_verify: false

# File positions, the disk buffer (outbox) and the status file.
data_dir: ./mamori-agent-data

buffer:
  # Disk buffer cap while the SOC is unreachable. Above it, file inputs pause
  # (the data waits in the files) and syslog inputs push back (TCP) or drop and count (UDP).
  max_bytes: 1073741824

send:
  # Records per request, and the longest wait to fill one.
  batch_events: 1000
  batch_wait_ms: 1000
  # Upload cap, counted on the compressed requests: e.g. "1.5Mbit", "200KB"; 0 = unlimited.
  bandwidth: 0
  # Longest wait for one request.
  timeout_ms: 30000

inputs:
  # Follow files (rotation by rename and copytruncate are handled).
  - name: system
    type: file
    paths: [/var/log/syslog, /var/log/messages]
    format: auto
    charset: utf-8
    # Files found on the very first start: read from the end (new lines only) or the beginning.
    start_at: end
  # Receive syslog from devices on this network and forward it.
  - name: devices
    type: syslog
    protocols: [udp, tcp]
    bind: 127.0.0.1
    port: 5514
    format: auto
    charset: utf-8
    # timezone: Asia/Tokyo
`;
}
