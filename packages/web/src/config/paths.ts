/** Every page's URL pattern and how to build a link to it; the app's route table uses the patterns. */
export const patterns = {
  overview: '/',
  data: '/data',
  job: '/jobs/:id',
} as const;

export const paths = {
  overview: () => '/',
  data: () => '/data',
  job: (id: string) => `/jobs/${encodeURIComponent(id)}`,
};
