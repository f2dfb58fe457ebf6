import { NewJobForm } from '../../features/new-job/components/new-job-form.tsx';
import { newJobMessages } from '../../features/new-job/new-job.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** New fine-tune: the guided form, with the values the job will use shown before launch. */
export default function NewJobPage() {
  const t = useT(newJobMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <NewJobForm />
    </>
  );
}
