/** Every page's URL pattern and how to build a link to it; the app's route table uses the patterns. */
export const patterns = {
  overview: '/',
  data: '/data',
  dataset: '/data/:id',
  newJob: '/jobs/new',
  job: '/jobs/:id',
  models: '/models',
  model: '/models/:id',
  keys: '/settings/keys',
  playground: '/playground',
  evaluations: '/evaluations',
  evaluation: '/evaluations/:id',
  compare: '/compare',
} as const;

export const paths = {
  overview: () => '/',
  data: () => '/data',
  dataset: (id: string) => `/data/${encodeURIComponent(id)}`,
  newJob: () => '/jobs/new',
  job: (id: string) => `/jobs/${encodeURIComponent(id)}`,
  models: () => '/models',
  model: (id: string) => `/models/${encodeURIComponent(id)}`,
  keys: () => '/settings/keys',
  playground: () => '/playground',
  evaluations: () => '/evaluations',
  evaluation: (id: string) => `/evaluations/${encodeURIComponent(id)}`,
  compare: (jobIds: readonly string[] = []) => (jobIds.length ? `/compare?jobs=${jobIds.map(encodeURIComponent).join(',')}` : '/compare'),
};
