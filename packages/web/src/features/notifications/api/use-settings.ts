import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingsPatch } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';

const settingsKeys = { all: ['settings'] as const };

/** The server's run-time settings (admins only: others get FORBIDDEN). */
export function useSettings() {
  return useQuery({ queryKey: settingsKeys.all, queryFn: () => unwrap(api.settings.$get()) });
}

export function useUpdateSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => unwrap(api.settings.$patch({ json: patch } as never)),
    onSuccess: (s) => qc.setQueryData(settingsKeys.all, s),
  });
}
