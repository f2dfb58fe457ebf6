import { Section } from '../../components/section.tsx';
import { EvaluationForm } from '../../features/evaluations/components/evaluation-form.tsx';
import { EvaluationList } from '../../features/evaluations/components/evaluation-list.tsx';
import { evaluationsMessages } from '../../features/evaluations/evaluations.i18n.ts';
import '../../features/evaluations/evaluations.css';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Evaluations: a new run (models x a test set) and every run so far. */
export default function EvaluationsPage() {
  const t = useT(evaluationsMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <Section title={t('newEvaluation')} id="new-evaluation">
        <EvaluationForm />
      </Section>
      <Section title={t('allEvaluations')} id="evaluations">
        <EvaluationList />
      </Section>
    </>
  );
}
