import { DatasetDetails } from '../../features/data/components/dataset-details.tsx';

/** A dataset's page; keyed by id so another dataset starts fresh. */
export default function DatasetPage({ id }: { id: string }) {
  return <DatasetDetails key={id} id={id} />;
}
