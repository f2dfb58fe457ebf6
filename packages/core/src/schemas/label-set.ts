import { z } from 'zod';

/**
 * The closed set of answers of a labelling dataset (intent, sentiment, NPS, tags): detected from
 * the rows (the last assistant turn of each chat), stored as `label_set` on the dataset, on a job
 * (its training rows) and on the model a job registers, so evaluation and constrained decoding can
 * read it. Labels are listed by count, most frequent first.
 */
export const LabelSetSchema = z
  .object({
    labels: z
      .array(
        z.object({
          label: z.string().describe('The answer as written in the data (its most frequent spelling; rows are compared after trimming spaces).'),
          count: z.number().int().describe('Rows with this answer.'),
          share: z.number().describe('count / rows (0 to 1).'),
        }),
      )
      .describe('Most frequent first.'),
    covered_share: z.number().describe('Share of rows whose answer is one of the labels (at least 0.95).'),
    other_rows: z.number().int().describe('Rows whose answer is none of the labels (long or rare answers, rows without an answer).'),
  })
  .describe('A labelling dataset: at most 50 distinct short answers covering at least 95% of rows.');
export type LabelSet = z.infer<typeof LabelSetSchema>;
