import { BenchmarkDetails } from '../../features/benchmarks/components/benchmark-details.tsx';
import '../../features/benchmarks/benchmarks.css';

/** One benchmark; keyed by id so another one starts fresh. */
export default function BenchmarkPage({ id }: { id: string }) {
  return <BenchmarkDetails key={id} id={id} />;
}
