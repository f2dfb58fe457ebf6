import { EvaluationDetails } from '../../features/evaluations/components/evaluation-details.tsx';
import '../../features/evaluations/evaluations.css';

/** One evaluation; keyed by id so another one starts fresh. */
export default function EvaluationPage({ id }: { id: string }) {
  return <EvaluationDetails key={id} id={id} />;
}
