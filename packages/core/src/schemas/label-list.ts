import { z } from 'zod';

/**
 * Answers constrained to a label set: decoding may only write one of the labels, then stop.
 * The same list shape everywhere (/v1 requests, deployments, the worker protocol).
 */
export const MAX_LABELS = 200;

export const LABELS_HINT = `Give "labels" as a list of non-empty strings (at most ${MAX_LABELS}), e.g. ["positive", "negative"].`;

const Label = z.string().min(1, { message: 'a label cannot be an empty string' }).max(500, { message: 'a label is at most 500 characters' });

/** 1..200 labels: the answer is exactly one of them. */
export const LabelListSchema = z
  .array(Label)
  .min(1, { message: 'give at least one label' })
  .max(MAX_LABELS, { message: `give at most ${MAX_LABELS} labels` })
  .describe('The answer is exactly one of these labels: decoding is restricted to their token sequences, then ends.');

/** A /v1 request's `labels`: a list overrides the deployment's default, `[]` turns it off, absent keeps it. */
export const RequestLabelsSchema = z
  .array(Label)
  .max(MAX_LABELS, { message: `give at most ${MAX_LABELS} labels` });

/** `list` or "model", with one plain message when neither fits (zod's own would say only "Invalid input"). */
function listOrModel(list: z.ZodArray<typeof Label>) {
  return z.union([list, z.literal('model')], {
    error: (issue) =>
      Array.isArray(issue.input) && issue.input.length > MAX_LABELS
        ? `give at most ${MAX_LABELS} labels (got ${issue.input.length})`
        : 'give a list of non-empty strings, or "model" for the model\'s remembered label set',
  });
}

/** A request's `labels`: a list (or [] for none), or "model". */
export const RequestLabelsOrModelSchema = listOrModel(RequestLabelsSchema).describe(
  `Whetstone extension: constrain the answer to one of these labels (at most ${MAX_LABELS} non-empty strings; decoding is restricted to their token sequences), ` +
    '"model" for the model\'s remembered label set, [] for free text; absent or null: the deployment\'s default. The official openai client sends it with extra_body.',
);

/** A deployment's default: a list, or "model" for the label set the fine-tuned model remembers from its training data. */
export const DeploymentLabelsSchema = listOrModel(LabelListSchema)
  .describe('Constrain every answer to a label set unless a request says otherwise: a list, or "model" for the model\'s remembered label set (400 when it has none).');
