import { Section } from '../../components/section.tsx';
import { BenchmarkForm } from '../../features/benchmarks/components/benchmark-form.tsx';
import { BenchmarkList } from '../../features/benchmarks/components/benchmark-list.tsx';
import { benchmarksMessages } from '../../features/benchmarks/benchmarks.i18n.ts';
import '../../features/benchmarks/benchmarks.css';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Benchmarks: a new one (models ranked on a multiple-choice set) and every one so far. */
export default function BenchmarksPage() {
  const t = useT(benchmarksMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Section title={t('newBenchmark')} id="new-benchmark">
        <BenchmarkForm />
      </Section>
      <Section title={t('allBenchmarks')} id="benchmarks">
        <BenchmarkList />
      </Section>
    </>
  );
}
