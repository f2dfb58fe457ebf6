/** Every page's URL pattern and how to build a link to it; the app's route table uses the patterns. */
export const patterns = {
  overview: '/',
  data: '/data',
  dataTokens: '/data/tokens',
  dataQa: '/data/qa',
  dataset: '/data/:id',
  newJob: '/jobs/new',
  job: '/jobs/:id',
  models: '/models',
  model: '/models/:id',
  keys: '/settings/keys',
  connections: '/settings/connections',
  playground: '/playground',
  evaluations: '/evaluations',
  evaluation: '/evaluations/:id',
} as const;

export const paths = {
  overview: () => '/',
  data: () => '/data',
  dataTokens: () => '/data/tokens',
  dataQa: () => '/data/qa',
  dataset: (id: string) => `/data/${encodeURIComponent(id)}`,
  newJob: () => '/jobs/new',
  job: (id: string) => `/jobs/${encodeURIComponent(id)}`,
  models: () => '/models',
  model: (id: string) => `/models/${encodeURIComponent(id)}`,
  keys: () => '/settings/keys',
  connections: () => '/settings/connections',
  playground: () => '/playground',
  evaluations: () => '/evaluations',
  evaluation: (id: string) => `/evaluations/${encodeURIComponent(id)}`,
};
