{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "zeroshot-serve.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: release-chart unless the release name already contains the chart name. 54 characters
at most so that "<fullname>-headless" still fits a DNS label.
*/}}
{{- define "zeroshot-serve.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "zeroshot-serve.headlessName" -}}
{{- printf "%s-headless" (include "zeroshot-serve.fullname" .) }}
{{- end }}

{{- define "zeroshot-serve.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "zeroshot-serve.labels" -}}
helm.sh/chart: {{ include "zeroshot-serve.chart" . }}
{{ include "zeroshot-serve.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: zeroshot-serve
{{- end }}

{{/* Labels that select the server pods (immutable in a Deployment: never add to them). */}}
{{- define "zeroshot-serve.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zeroshot-serve.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "zeroshot-serve.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* ZEROSHOT_MODEL_DIR for the selected model source. */}}
{{- define "zeroshot-serve.modelDir" -}}
{{- if eq .Values.model.source "image" }}
{{- .Values.model.imageDir }}
{{- else if .Values.model.subDir }}
{{- printf "%s/%s" (trimSuffix "/" .Values.model.mountPath) .Values.model.subDir }}
{{- else }}
{{- .Values.model.mountPath }}
{{- end }}
{{- end }}

{{/* Pod termination grace: the server's shutdown grace plus headroom, so draining is never cut. */}}
{{- define "zeroshot-serve.terminationGracePeriodSeconds" -}}
{{- add .Values.server.shutdownGraceSeconds .Values.server.terminationExtraSeconds }}
{{- end }}

{{/*
Port of the probes: Kubernetes' gRPC probes speak plaintext only, so with TLS on they ask the
server's plaintext health port (grpc.health.v1 alone) instead of the gRPC port.
*/}}
{{- define "zeroshot-serve.probePort" -}}
{{- if .Values.tls.enabled }}{{ .Values.server.healthPort }}{{ else }}{{ .Values.server.grpcPort }}{{ end }}
{{- end }}

{{/* gRPC health service names the probes ask for. */}}
{{- define "zeroshot-serve.readinessHealthService" -}}zeroshot.v1.ZeroShotService{{- end }}
{{- define "zeroshot-serve.livenessHealthService" -}}{{- end }}

{{- define "zeroshot-serve.labelSetClaimName" -}}
{{- .Values.labelSets.pvc.existingClaim | default (printf "%s-label-sets" (include "zeroshot-serve.fullname" .)) }}
{{- end }}
