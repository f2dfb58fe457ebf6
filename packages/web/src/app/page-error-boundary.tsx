import { Component, type ReactNode } from 'react';
import { useT } from '../lib/i18n.tsx';
import { appMessages } from './app.i18n.ts';

function PageFailed() {
  const t = useT(appMessages);
  return (
    <div className="error" role="alert">
      <p>{t('pageFailed')}</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('reload')}
      </button>
    </div>
  );
}

/** A page that throws while rendering (or whose chunk fails to load) shows a reload prompt, not a blank screen. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}
