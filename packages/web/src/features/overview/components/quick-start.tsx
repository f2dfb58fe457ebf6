import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { quickStartMessages } from '../overview.i18n.ts';

const TRAIN_COMMAND = 'npx whet train --model SmolLM2-135M-Instruct --data <dataset id> --tuning lora --follow';

/** The empty state of the overview: what to do first, in order. */
export function QuickStart() {
  const t = useT(quickStartMessages);
  return (
    <div className="quick-start">
      <p>{t('intro')}</p>
      <ol>
        <li>
          {t('step1')} <Link href={paths.data()}>{t('goData')}</Link>
        </li>
        <li>
          {t('step2')} <Link href={paths.newJob()}>{t('goNewJob')}</Link> {t('step2Cli')}
          <pre translate="no">
            <code>{TRAIN_COMMAND}</code>
          </pre>
        </li>
        <li>{t('step3')}</li>
        <li>{t('step4')}</li>
      </ol>
    </div>
  );
}
