/**
 * @module core/alerting/default-templates
 * Alertmanager's default notification templates (the names users reference from their configs, such as
 * `{{ template "slack.default.title" . }}`), written for Quiver from Alertmanager's documented defaults:
 * the subject line `[FIRING:2] <group label values> (<other common label values>)`, the plain-text alert
 * list, and the per-integration title/text/message definitions.
 */

/** The default template definitions (Go template syntax). */
export const DEFAULT_TEMPLATES = `
{{ define "__alertmanager" }}Alertmanager{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}
{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}

{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "__text_alert_list_markdown" }}{{ range . }}
Labels:
{{ range .Labels.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Annotations:
{{ range .Annotations.SortedPairs }}  - {{ .Name }} = {{ .Value }}
{{ end }}
Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}

{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}

{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
{{ define "email.default.text" }}{{ if gt (len .Alerts.Firing) 0 }}[{{ .Alerts.Firing | len }}] Firing
{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}[{{ .Alerts.Resolved | len }}] Resolved
{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}
View in {{ template "__alertmanager" . }}: {{ template "__alertmanagerURL" . }}{{ end }}
{{ define "email.default.html" }}<!DOCTYPE html>
<html><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width"><title>{{ template "__subject" . }}</title></head>
<body style="font-family: Helvetica, Arial, sans-serif; font-size: 14px; background-color: #f6f6f6; margin: 0; padding: 20px;">
<table width="100%" cellpadding="0" cellspacing="0" style="max-width: 600px; margin: 0 auto; background: #fff; border: 1px solid #e9e9e9;">
<tr><td style="padding: 20px; color: #fff; background-color: {{ if eq .Status "firing" }}#E6522C{{ else }}#68B90F{{ end }}; font-size: 16px;">
{{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
</td></tr>
<tr><td style="padding: 20px;">
<a href="{{ template "__alertmanagerURL" . }}" style="display: inline-block; padding: 8px 16px; background: #348eda; color: #fff; text-decoration: none;">View in {{ template "__alertmanager" . }}</a>
{{ if gt (len .Alerts.Firing) 0 }}<p><strong>[{{ .Alerts.Firing | len }}] Firing</strong></p>
{{ range .Alerts.Firing }}<p><strong>Labels</strong><br>
{{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
{{ end }}{{ if gt (len .Annotations) 0 }}<strong>Annotations</strong><br>
{{ end }}{{ range .Annotations.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
{{ end }}<a href="{{ .GeneratorURL }}">Source</a></p>
{{ end }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}<p><strong>[{{ .Alerts.Resolved | len }}] Resolved</strong></p>
{{ range .Alerts.Resolved }}<p><strong>Labels</strong><br>
{{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
{{ end }}{{ if gt (len .Annotations) 0 }}<strong>Annotations</strong><br>
{{ end }}{{ range .Annotations.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
{{ end }}<a href="{{ .GeneratorURL }}">Source</a></p>
{{ end }}{{ end }}
</td></tr>
<tr><td style="padding: 10px 20px; color: #999; font-size: 12px;">Sent by {{ template "__alertmanager" . }}</td></tr>
</table></body></html>
{{ end }}

{{ define "telegram.default.message" }}{{ if gt (len .Alerts.Firing) 0 }}Alerts Firing:
{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}Alerts Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}{{ end }}

{{ define "discord.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "discord.default.message" }}{{ if gt (len .Alerts.Firing) 0 }}Alerts Firing:
{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}Alerts Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}{{ end }}

{{ define "msteams.default.summary" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.text" }}{{ if gt (len .Alerts.Firing) 0 }}# Alerts Firing:
{{ template "__text_alert_list_markdown" .Alerts.Firing }}{{ end }}{{ if gt (len .Alerts.Resolved) 0 }}# Alerts Resolved:
{{ template "__text_alert_list_markdown" .Alerts.Resolved }}{{ end }}{{ end }}

{{ define "webhook.default.message" }}{{ template "__subject" . }}{{ end }}
`;
