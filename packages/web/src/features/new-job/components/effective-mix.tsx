import type { JobDataMix } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { newJobMessages } from '../new-job.i18n.ts';

/** The data the dry run would prepare: what each source gives the mix, then the splits. */
export function EffectiveMix({ mix }: { mix: JobDataMix }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  return (
    <div className="effective-mix">
      {mix.sources.length > 1 && (
        <table className="table">
          <caption>{t('mixTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dataset')}</th>
              <th scope="col">{t('mixAsked')}</th>
              <th scope="col">{t('mixAvailable')}</th>
              <th scope="col">{t('mixTaken')}</th>
              <th scope="col">{t('mixShare')}</th>
              <th scope="col">{t('mixRepeated')}</th>
            </tr>
          </thead>
          <tbody>
            {mix.sources.map((s, i) => (
              <tr key={i} data-mix-source={s.dataset_id}>
                <td translate="no">{s.name}</td>
                <td>{s.samples !== null ? t('mixAskedSamples', { samples: f.number(s.samples) }) : t('mixAskedWeight', { weight: f.number(s.weight ?? 1, 3) })}</td>
                <td className="num">{f.number(s.available)}</td>
                <td className="num">{f.number(s.taken)}</td>
                <td className="num" data-share={s.share}>
                  {f.number(s.share * 100, 1)}%
                </td>
                <td>{s.repeated ? <strong>{t('mixRepeatedYes')}</strong> : t('mixRepeatedNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small-text" data-splits={`${mix.train}/${mix.validation}/${mix.test}`}>
        {t('mixSplits', { rows: f.number(mix.rows), duplicates: f.number(mix.duplicates_removed), train: f.number(mix.train), validation: f.number(mix.validation), test: f.number(mix.test) })}
      </p>
    </div>
  );
}
