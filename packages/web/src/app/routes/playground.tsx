import { useEffect } from 'react';
import { Playground } from '../../features/playground/components/playground.tsx';
import { playgroundMessages } from '../../features/playground/playground.i18n.ts';
import { useT } from '../../lib/i18n.tsx';

/** Playground: chat with any callable model, or two side by side, answers streaming in. */
export default function PlaygroundPage() {
  const t = useT(playgroundMessages);
  useEffect(() => {
    document.title = `${t('title')} · Whetstone`;
  }, [t]);
  return (
    <>
      <h1>{t('title')}</h1>
      <Playground />
    </>
  );
}
