{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "deckhand.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of the namespaced resources. A release already called after the chart
is not repeated ("deckhand", not "deckhand-deckhand").
*/}}
{{- define "deckhand.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of cluster-scoped resources: the release namespace is part of it so two
releases of the same name in different namespaces do not share a ClusterRole.
*/}}
{{- define "deckhand.clusterScopedName" -}}
{{- printf "%s-%s" .Release.Namespace (include "deckhand.fullname" .) | trunc 253 | trimSuffix "-" }}
{{- end }}

{{- define "deckhand.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "deckhand.selectorLabels" -}}
app.kubernetes.io/name: {{ include "deckhand.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "deckhand.labels" -}}
helm.sh/chart: {{ include "deckhand.chart" . }}
{{ include "deckhand.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "deckhand.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "deckhand.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "deckhand.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Heap size for Node.js in MiB: heapPercentOfMemoryLimit of
resources.limits.memory, rounded down. Empty when no memory limit is set, in
which case Node.js picks its own default. Quantities are read the way
Kubernetes reads them for the units memory is given in.
*/}}
{{- define "deckhand.maxOldSpaceMiB" -}}
{{- $limit := toString (dig "limits" "memory" "" .Values.resources) }}
{{- if $limit }}
{{- $multipliers := dict "" 1.0 "K" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $limit }}
{{- $unit := trimPrefix $number $limit }}
{{- if or (not $number) (not (hasKey $multipliers $unit)) }}
{{- fail (printf "resources.limits.memory %q is not a memory quantity such as 512Mi or 1Gi" $limit) }}
{{- end }}
{{- $bytes := mulf (float64 $number) (get $multipliers $unit) }}
{{- $mib := floor (divf (mulf $bytes (float64 .Values.heapPercentOfMemoryLimit)) (mulf 100.0 1048576.0)) | int }}
{{- if lt $mib 64 }}
{{- fail (printf "resources.limits.memory %q leaves Node.js a heap of %d MiB; give it at least 64 MiB" $limit $mib) }}
{{- end }}
{{- $mib }}
{{- end }}
{{- end }}

{{/* Port the server listens on inside the pod; the image's default too. */}}
{{- define "deckhand.containerPort" -}}
8080
{{- end }}

{{/*
Rules the service account needs for reading and, unless read-only, for
creating Backups and restore Clusters. Shared by the ClusterRole and the
per-namespace Roles so both scopes grant exactly the same.
*/}}
{{- define "deckhand.rules" -}}
- apiGroups: [postgresql.cnpg.io]
  resources: [clusters, backups, scheduledbackups]
  verbs: [get, list, watch]
- apiGroups: [barmancloud.cnpg.io]
  resources: [objectstores]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods, persistentvolumeclaims]
  verbs: [get, list, watch]
{{- if not .Values.readOnly }}
- apiGroups: [postgresql.cnpg.io]
  resources: [backups, clusters]
  verbs: [create]
{{- end }}
{{- if eq .Values.scrapeVia "proxy" }}
- apiGroups: [""]
  resources: [pods/proxy]
  verbs: [get]
{{- end }}
{{- end }}

{{/* Server flags rendered from the values, one list item each. */}}
{{- define "deckhand.args" -}}
- serve
- --listen=0.0.0.0:{{ include "deckhand.containerPort" . }}
- --scrape-interval={{ .Values.scrapeInterval }}
- --scrape-timeout={{ .Values.scrapeTimeout }}
- --scrape-via={{ .Values.scrapeVia }}
- --log-level={{ .Values.logLevel }}
- --log-format={{ .Values.logFormat }}
- --shutdown-drain={{ .Values.shutdownDrain }}
- --restore-stuck-after={{ .Values.restoreStuckAfter }}
- --auth={{ .Values.auth.mode }}
{{- if eq .Values.auth.mode "proxy" }}
- --trusted-proxy-cidrs={{ required "auth.trustedProxyCIDRs is required when auth.mode is proxy" (join "," .Values.auth.trustedProxyCIDRs | default "") }}
- --auth-user-header={{ .Values.auth.userHeader }}
- --auth-groups-header={{ .Values.auth.groupsHeader }}
{{- end }}
{{- if eq .Values.auth.mode "token" }}
- --session-ttl={{ .Values.auth.sessionTTL }}
{{- end }}
{{- if and (eq .Values.auth.mode "none") .Values.auth.allowUnauthenticated }}
- --allow-unauthenticated
{{- end }}
{{- with .Values.watchNamespaces }}
- --namespaces={{ join "," . }}
{{- end }}
{{- if .Values.readOnly }}
- --read-only
{{- end }}
{{- with .Values.allowedOrigins }}
- --allowed-origins={{ join "," . }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}
