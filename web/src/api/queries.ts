import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApiVersionResponse,
  ClusterDetailResponse,
  ClusterListResponse,
  ClusterMetricsResponse,
  CreateBackupRequest,
  CreateBackupResponse,
  MetricsHistoryResponse,
  ReadinessResponse,
  RestoreOptionsResponse,
  RestoreRequest,
  RestoreResponse,
  RestoreStatusResponse,
} from '../../../src/contract/api';
import { clusterPath, getJson, isNotFound, postJson } from './client';

/** Query keys, shared with the live-event invalidation so both name data the same way. */
export const queryKeys = {
  clusters: ['clusters'] as const,
  cluster: (ns: string, name: string) => ['cluster', ns, name] as const,
  metrics: (ns: string, name: string) => ['metrics', ns, name] as const,
  history: (ns: string, name: string) => ['history', ns, name] as const,
  backups: (ns: string, name: string) => ['backups', ns, name] as const,
  restoreOptions: (ns: string, name: string) => ['restoreOptions', ns, name] as const,
  restoreStatus: (ns: string, name: string) => ['restoreStatus', ns, name] as const,
  readiness: ['readyz'] as const,
  version: ['version'] as const,
};

export function useClusterList() {
  return useQuery({
    queryKey: queryKeys.clusters,
    queryFn: ({ signal }) => getJson<ClusterListResponse>('/api/clusters', signal),
  });
}

export function useClusterDetail(ns: string, name: string) {
  return useQuery({
    queryKey: queryKeys.cluster(ns, name),
    queryFn: ({ signal }) => getJson<ClusterDetailResponse>(clusterPath(ns, name), signal),
  });
}

export function useClusterMetrics(ns: string, name: string) {
  return useQuery({
    queryKey: queryKeys.metrics(ns, name),
    queryFn: ({ signal }) =>
      getJson<ClusterMetricsResponse>(clusterPath(ns, name, '/metrics'), signal),
  });
}

export function useMetricsHistory(ns: string, name: string) {
  return useQuery({
    queryKey: queryKeys.history(ns, name),
    queryFn: ({ signal }) =>
      getJson<MetricsHistoryResponse>(clusterPath(ns, name, '/metrics/history'), signal),
    retry: false,
  });
}

export function useBackups(ns: string, name: string) {
  return useQuery({
    queryKey: queryKeys.backups(ns, name),
    queryFn: ({ signal }) =>
      getJson<ClusterDetailResponse>(clusterPath(ns, name, '/backups'), signal),
  });
}

export function useRestoreOptions(ns: string, name: string) {
  return useQuery({
    queryKey: queryKeys.restoreOptions(ns, name),
    queryFn: ({ signal }) =>
      getJson<RestoreOptionsResponse>(clusterPath(ns, name, '/restore'), signal),
  });
}

/**
 * Restore progress; polled while the restore is still moving, on top of live
 * hints. Right after the restore was created (`isJustCreated`) the server may
 * not have seen the new Cluster yet, so a 404 is retried for about 15 s.
 */
export function useRestoreStatus(
  ns: string,
  name: string,
  options: { isEnabled?: boolean; isJustCreated?: boolean } = {},
) {
  return useQuery({
    queryKey: queryKeys.restoreStatus(ns, name),
    queryFn: ({ signal }) =>
      getJson<RestoreStatusResponse>(clusterPath(ns, name, '/restore-status'), signal),
    enabled: options.isEnabled ?? true,
    retry: (failureCount, error) =>
      options.isJustCreated === true && isNotFound(error) && failureCount < 15,
    retryDelay: 1000,
    refetchInterval: (query) => {
      if (query.state.status === 'error') return false;
      const phase = query.state.data?.status.phase;
      return phase === 'ready' || phase === 'failed' ? false : 3000;
    },
  });
}

export function useReadiness() {
  return useQuery({
    queryKey: queryKeys.readiness,
    queryFn: ({ signal }) => getJson<ReadinessResponse>('/readyz', signal),
    refetchInterval: 15_000,
    retry: false,
  });
}

/**
 * The version document and the caller's permissions: cluster-wide, or in
 * `namespace` (where a user with namespace-scoped rights has them).
 */
export function useApiVersion(namespace?: string) {
  const path = namespace === undefined ? '/api' : `/api?namespace=${encodeURIComponent(namespace)}`;
  return useQuery({
    queryKey: namespace === undefined ? queryKeys.version : [...queryKeys.version, namespace],
    queryFn: ({ signal }) => getJson<ApiVersionResponse>(path, signal),
    staleTime: 5 * 60_000,
  });
}

export function useCreateBackup(ns: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBackupRequest) =>
      postJson<CreateBackupResponse>(clusterPath(ns, name, '/backups'), body),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.backups(ns, name) }),
  });
}

/** Dry-run restore: the server validates and renders the manifest without creating anything. */
export function useRestorePreview(ns: string, name: string) {
  return useMutation({
    mutationFn: (body: RestoreRequest) =>
      postJson<RestoreResponse>(clusterPath(ns, name, '/restore?dryRun=true'), body),
  });
}

export function useCreateRestore(ns: string, name: string) {
  return useMutation({
    mutationFn: (body: RestoreRequest) =>
      postJson<RestoreResponse>(clusterPath(ns, name, '/restore'), body),
  });
}
