import { Playground } from '../../features/playground/components/playground.tsx';
import { playgroundMessages } from '../../features/playground/playground.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Playground: chat with any callable model, or two side by side, answers streaming in. */
export default function PlaygroundPage() {
  const t = useT(playgroundMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <Playground />
    </>
  );
}
