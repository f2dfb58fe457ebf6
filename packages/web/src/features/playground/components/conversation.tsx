import { memo } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import type { Turn } from '../api/playground-session.ts';
import { playgroundMessages } from '../playground.i18n.ts';
import { AnswerColumn } from './answer-column.tsx';

/** Every prompt sent so far with its answers: one column in chat, two side by side in compare. */
export function Conversation({ turns }: { turns: Turn[] }) {
  const t = useT(playgroundMessages);
  if (!turns.length) return <p className="muted pg-empty">{t('empty')}</p>;
  return (
    <ol className="pg-turns">
      {turns.map((turn) => (
        <TurnItem key={turn.id} turn={turn} />
      ))}
    </ol>
  );
}

/**
 * One prompt and its answers. Memoised: the session keeps every other turn's object as it was
 * while one streams, so a token re-renders its own turn, not the whole conversation.
 */
const TurnItem = memo(function TurnItem({ turn }: { turn: Turn }) {
  const t = useT(playgroundMessages);
  return (
    <li className="pg-turn" data-mode={turn.mode}>
      <div className="pg-prompt">
        <span className="pg-role">{t('you')}</span>
        <div className="pg-text" translate="no">
          {turn.prompt}
        </div>
      </div>
      <div className={turn.columns.length > 1 ? 'pg-columns' : undefined}>
        {turn.columns.map((c, i) => (
          <AnswerColumn key={i} column={c} showModel />
        ))}
      </div>
    </li>
  );
});
