{{/* Names and labels shared by every template. */}}

{{- define "agent-mediator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release-qualified name; the release name alone when it already says the name. */}}
{{- define "agent-mediator.fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "agent-mediator.headlessServiceName" -}}
{{- printf "%s-headless" (include "agent-mediator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The schema registration hook's Job and ConfigMap: a Job's name is a label value too, 63 characters at most. */}}
{{- define "agent-mediator.schemasRegisterName" -}}
{{- printf "%s-schemas-register" (include "agent-mediator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "agent-mediator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "agent-mediator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "agent-mediator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agent-mediator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "agent-mediator.labels" -}}
{{ include "agent-mediator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: agent-mediator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "agent-mediator.image" -}}
{{- $repository := .Values.image.repository -}}
{{- if .Values.image.registry -}}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Where the pod finds its files: the properties, the policy, and each Secret's files. */}}
{{- define "agent-mediator.configDir" -}}/etc/agent-mediator{{- end -}}
{{- define "agent-mediator.policyDir" -}}/etc/agent-mediator/policy{{- end -}}
{{- define "agent-mediator.secretsDir" -}}/etc/agent-mediator/secrets{{- end -}}

{{/* The policy ConfigMap: the operator's own, or the one this chart renders from policy.document. */}}
{{- define "agent-mediator.policyConfigMapName" -}}
{{- if .Values.policy.existingConfigMap -}}
{{- .Values.policy.existingConfigMap -}}
{{- else -}}
{{- printf "%s-policy" (include "agent-mediator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "agent-mediator.hasPolicy" -}}
{{- if or .Values.policy.existingConfigMap .Values.policy.document -}}true{{- end -}}
{{- end -}}

{{/*
Refuses an install that would decide on the image's example policy, whose approvers' and operators'
keys anyone can derive from their public ids, or sign decisions with a key per pod that executors
cannot trust across restarts, unless the operator asks for a trial (demo).
*/}}
{{- define "agent-mediator.requireOwnPolicyAndKey" -}}
{{- if not .Values.demo -}}
{{- $missing := list -}}
{{- if not (include "agent-mediator.hasPolicy" .) -}}
{{- $missing = append $missing "a policy (policy.document or policy.existingConfigMap; without one the image's example policy decides, whose approvers' and operators' keys anyone can derive from their ids)" -}}
{{- end -}}
{{- if not .Values.signing.existingSecret -}}
{{- $missing = append $missing "a signing key (signing.existingSecret; without one each pod signs decisions with its own ephemeral key)" -}}
{{- end -}}
{{- with $missing -}}
{{- fail (printf "agent-mediator needs %s. Set them (docs/POLICY.md, docs/SIGNING.md), or set demo=true to try the chart with the example policy and ephemeral keys" (join " and " .)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The address other instances forward interactive queries to: the pod's stable DNS name through
the headless Service (survives restarts), or its IP. Kubernetes expands $(POD_NAME) and
$(POD_IP) from the env vars declared before it.
*/}}
{{- define "agent-mediator.advertisedAddress" -}}
{{- if eq .Values.http.advertise "podIP" -}}
$(POD_IP):{{ .Values.http.port }}
{{- else -}}
$(POD_NAME).{{ include "agent-mediator.headlessServiceName" . }}.$(POD_NAMESPACE).svc.{{ .Values.clusterDomain }}:{{ .Values.http.port }}
{{- end -}}
{{- end -}}

{{/*
The topics in transit between the mediator's own tasks (Topics.timedByTheirRecords()), as suffixes of the topic prefix,
space-separated: they keep the times of the intents they carry and their records until read, and the mediator deletes
what it has read from them.
*/}}
{{- define "agent-mediator.inTransitTopicSuffixes" -}}
intents-placed approvals-placed outcomes-placed controls-placed case-events ledger-requests ledger-replies
{{- end -}}

{{/* Kubernetes resource name of a topic: the release prefix and the topic with dots turned to dashes. */}}
{{- define "agent-mediator.topicResourceName" -}}
{{- printf "%s-%s" (include "agent-mediator.fullname" .root) (.topic | replace "." "-" | replace "_" "-") | lower | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The KafkaConnect cluster of the SQL audit trail, which its KafkaConnectors name in strimzi.io/cluster. */}}
{{- define "agent-mediator.auditSqlConnectName" -}}
{{- printf "%s-audit-sql" (include "agent-mediator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* A topic a connector file names (agent.<rest>), under streams.topicPrefix: .root and .topic. */}}
{{- define "agent-mediator.auditSqlTopic" -}}
{{- printf "%s%s" .root.Values.streams.topicPrefix (trimPrefix "agent." .topic) -}}
{{- end -}}

{{/*
A Secret of the SQL sinks' schema registry (its fields as YAML; empty for none): .own, the sinks' own
(auditSql.schemaRegistry...Secret), or .mediators, the mediator's (schemaRegistry....Secret) when the sinks read the
mediator's registry, never handed to a registry of their own. .root is the chart's context.
*/}}
{{- define "agent-mediator.auditSqlRegistrySecret" -}}
{{- if .own.name -}}
{{- toYaml .own -}}
{{- else if and (not .root.Values.auditSql.schemaRegistryUrl) .mediators.name -}}
{{- toYaml .mediators -}}
{{- end -}}
{{- end -}}

{{/* The Secret (name and key) whose user:password the SQL sinks send to their schema registry. */}}
{{- define "agent-mediator.auditSqlRegistryAuth" -}}
{{- include "agent-mediator.auditSqlRegistrySecret" (dict "root" . "own" .Values.auditSql.schemaRegistryBasicAuthSecret "mediators" .Values.schemaRegistry.basicAuthSecret) -}}
{{- end -}}

{{/*
The Secret (name, key, passwordKey, type) with the truststore the SQL sinks trust their https schema registry by: the
workers mount it as auditSqlRegistryTruststoreVolume under Strimzi's external configuration directory.
*/}}
{{- define "agent-mediator.auditSqlRegistryTruststore" -}}
{{- include "agent-mediator.auditSqlRegistrySecret" (dict "root" . "own" .Values.auditSql.schemaRegistryTruststoreSecret "mediators" .Values.schemaRegistry.truststoreSecret) -}}
{{- end -}}

{{/* The volume of that truststore in the Connect workers, mounted at /opt/kafka/external-configuration/<volume>. */}}
{{- define "agent-mediator.auditSqlRegistryTruststoreVolume" -}}registry-truststore{{- end -}}

{{/*
The Secret (name, key, passwordKey, type) with the client keystore the SQL sinks present to a schema registry that
requires client certificates: the workers mount it as auditSqlRegistryKeystoreVolume beside the truststore.
*/}}
{{- define "agent-mediator.auditSqlRegistryKeystore" -}}
{{- include "agent-mediator.auditSqlRegistrySecret" (dict "root" . "own" .Values.auditSql.schemaRegistryKeystoreSecret "mediators" .Values.schemaRegistry.keystoreSecret) -}}
{{- end -}}

{{/* The volume of that keystore in the Connect workers, mounted at /opt/kafka/external-configuration/<volume>. */}}
{{- define "agent-mediator.auditSqlRegistryKeystoreVolume" -}}registry-keystore{{- end -}}

{{/* The key of the Connect workers' JMX exporter rules in their metrics ConfigMap. */}}
{{- define "agent-mediator.auditSqlMetricsKey" -}}connect-jmx-exporter.yaml{{- end -}}

{{/* The mediators' mediator.properties: the pods' config ConfigMap, and the schema registration hook's. */}}
{{- define "agent-mediator.properties" -}}
{{- $secrets := include "agent-mediator.secretsDir" . -}}
bootstrap.servers={{ .Values.kafka.bootstrapServers }}
application.id={{ .Values.streams.applicationId }}
schema.registry.url={{ .Values.schemaRegistry.url }}
topic.prefix={{ .Values.streams.topicPrefix }}
topic.partitions={{ .Values.streams.partitions }}
topic.replication.factor={{ .Values.streams.replicationFactor }}
replication.factor={{ .Values.streams.replicationFactor }}
num.standby.replicas={{ .Values.streams.standbyReplicas }}
topic.create={{ .Values.streams.topicCreate }}
state.dir={{ .Values.stateDir }}
http.host=0.0.0.0
http.port={{ .Values.http.port }}
{{- with .Values.http.auth }}
{{- if .existingSecret }}
http.auth.metrics.tokens.file={{ $secrets }}/http/{{ .keys.metrics }}
http.auth.approver.tokens.file={{ $secrets }}/http/{{ .keys.approver }}
http.auth.operator.tokens.file={{ $secrets }}/http/{{ .keys.operator }}
http.auth.instance.tokens.file={{ $secrets }}/http/{{ .keys.instance }}
{{- end }}
{{- end }}
policy.id={{ .Values.policy.id }}
{{- if include "agent-mediator.hasPolicy" . }}
policy.file={{ include "agent-mediator.policyDir" . }}/{{ .Values.policy.key }}
{{- end }}
{{- if .Values.signing.existingSecret }}
signing.key.file={{ $secrets }}/signing/{{ .Values.signing.key }}
{{- end }}
{{- if .Values.signing.keyId }}
signing.key.id={{ .Values.signing.keyId }}
{{- end }}
security.protocol={{ .Values.kafka.securityProtocol }}
{{- if .Values.kafka.saslMechanism }}
sasl.mechanism={{ .Values.kafka.saslMechanism }}
{{- end }}
{{- with .Values.kafka.truststoreSecret }}
{{- if .name }}
ssl.truststore.location={{ $secrets }}/kafka-truststore/{{ .key }}
ssl.truststore.type={{ .type }}
{{- end }}
{{- end }}
{{- with .Values.kafka.keystoreSecret }}
{{- if .name }}
ssl.keystore.location={{ $secrets }}/kafka-keystore/{{ .key }}
ssl.keystore.type={{ .type }}
{{- end }}
{{- end }}
{{- if .Values.schemaRegistry.basicAuthSecret.name }}
basic.auth.credentials.source=USER_INFO
{{- end }}
{{- with .Values.schemaRegistry.truststoreSecret }}
{{- if .name }}
schema.registry.ssl.truststore.location={{ $secrets }}/registry-truststore/{{ .key }}
schema.registry.ssl.truststore.type={{ .type }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.keystoreSecret }}
{{- if .name }}
schema.registry.ssl.keystore.location={{ $secrets }}/registry-keystore/{{ .key }}
schema.registry.ssl.keystore.type={{ .type }}
{{- end }}
{{- end }}
{{- /* A number from a values file is a float64, which prints 2097152 as 2.097152e+06: Kafka and the
mediator refuse that for an int or a long, so whole numbers are written as integers. */}}
{{- range $key, $value := .Values.config }}
{{- if and (kindIs "float64" $value) (eq $value (floor $value)) }}
{{ $key }}={{ int64 $value }}
{{- else }}
{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The schema registry's truststore and keystore passwords, as the pods and the schema registration Job get them. */}}
{{- define "agent-mediator.registryStoreEnv" -}}
{{- with .Values.schemaRegistry.truststoreSecret }}
{{- if .name }}
- name: MEDIATOR_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .passwordKey }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.keystoreSecret }}
{{- if .name }}
- name: MEDIATOR_SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .name }}
      key: {{ .passwordKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Where the pods and the schema registration Job mount the registry's stores. */}}
{{- define "agent-mediator.registryStoreMounts" -}}
{{- $secrets := include "agent-mediator.secretsDir" . -}}
{{- if .Values.schemaRegistry.truststoreSecret.name }}
- name: registry-truststore
  mountPath: {{ $secrets }}/registry-truststore
  readOnly: true
{{- end }}
{{- if .Values.schemaRegistry.keystoreSecret.name }}
- name: registry-keystore
  mountPath: {{ $secrets }}/registry-keystore
  readOnly: true
{{- end }}
{{- end -}}

{{/* The volumes of the registry's stores. */}}
{{- define "agent-mediator.registryStoreVolumes" -}}
{{- with .Values.schemaRegistry.truststoreSecret }}
{{- if .name }}
- name: registry-truststore
  secret:
    secretName: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- with .Values.schemaRegistry.keystoreSecret }}
{{- if .name }}
- name: registry-keystore
  secret:
    secretName: {{ .name }}
    defaultMode: 0400
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- end -}}
