import type { JobStatus } from '@whetstone/core';
import type { ReactNode } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import type { CompareJob } from '../api/compare-types.ts';
import { compareMessages } from '../compare.i18n.ts';

export interface JobPickerProps {
  jobs: readonly CompareJob[];
  selected: readonly string[];
  onToggle: (id: string, on: boolean) => void;
  statusBadge: (status: JobStatus) => ReactNode;
}

/** A checkbox per job, with its status and model, to choose the runs to compare. */
export function JobPicker({ jobs, selected, onToggle, statusBadge }: JobPickerProps) {
  const t = useT(compareMessages);
  return (
    <fieldset className="job-picker">
      <legend className="sr-only">{t('pickJobs')}</legend>
      <p className="muted small-text">{t('pickHint')}</p>
      <div className="job-picker-list">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('model')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job-id={job.id}>
                <td>
                  <label className="check">
                    <input type="checkbox" checked={selected.includes(job.id)} onChange={(e) => onToggle(job.id, e.target.checked)} />
                    <span translate="no">{job.name}</span>
                  </label>
                </td>
                <td>{statusBadge(job.status)}</td>
                <td translate="no">{job.model_id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
