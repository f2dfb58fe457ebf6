import { z } from 'zod';

/**
 * The one internal form every instruction dataset is normalized to, one JSON object per line
 * of `datasets/<id>/data.jsonl`. The worker trains from it with the model's chat template.
 */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;

export const MessageSchema = z.looseObject({
  role: z.enum(ROLES),
  content: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSchema = z.looseObject({
  messages: z.array(MessageSchema).min(1),
});
export type Conversation = z.infer<typeof ConversationSchema>;
