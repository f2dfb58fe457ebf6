import { describe, expect, expectTypeOf, it } from 'vitest';
import { matchPath } from './router.tsx';

describe('matchPath', () => {
  it('matches static and parameter segments, decoding params', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/data', '/data/')).toEqual({});
    const m = matchPath('/jobs/:id', '/jobs/job%20a');
    expect(m).toEqual({ id: 'job a' });
    expectTypeOf(m).toEqualTypeOf<{ id: string } | null>();
  });

  it('refuses other paths and broken escapes', () => {
    expect(matchPath('/jobs/:id', '/jobs')).toBeNull();
    expect(matchPath('/jobs/:id', '/models/x')).toBeNull();
    expect(matchPath('/jobs/:id', '/jobs/%E0%A4%A')).toBeNull();
  });
});
