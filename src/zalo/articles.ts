import { z } from 'zod';
import type { ZaloClient } from './client.ts';

// Zalo articles ("bài viết") and their broadcast to followers (zalo-oa-api.md §3.6 and §5): create returns a token,
// verify turns the token into the article id, and POST /v2.0/oa/message with `recipient.target` sends it to followers.

/** What the bot knows about an article before Zalo has it. */
export interface ArticleDraft {
  title: string;
  author: string;
  description: string;
  coverUrl: string;
  paragraphs: string[];
  linkUrl?: string;
}

export interface ZaloArticles {
  create(draft: ArticleDraft): Promise<{ token: string }>;
  verify(token: string): Promise<{ articleId: string }>;
  /** Sends the article to all followers (no demographic filter); returns Zalo's message id when given. */
  broadcast(articleId: string): Promise<{ messageId: string | undefined }>;
}

const idValue = z.union([z.string().min(1), z.number().transform(String)]);
const createData = z.looseObject({ token: idValue });
const verifyData = z.looseObject({ id: idValue });
const broadcastData = z.looseObject({ message_id: idValue.optional() });

const TITLE_MAX = 150;
const DESCRIPTION_MAX = 300;

/** Article calls over the generic client (token handling and typed errors come from it). */
export function createZaloArticles(client: Pick<ZaloClient, 'post'>): ZaloArticles {
  return {
    async create(draft) {
      const paragraphs = draft.paragraphs.filter((p) => p.trim().length > 0).map((content) => ({ type: 'text', content }));
      if (draft.linkUrl) paragraphs.push({ type: 'text', content: draft.linkUrl });
      const data = createData.parse(
        await client.post('/v2.0/article/create', {
          type: 'normal',
          title: draft.title.slice(0, TITLE_MAX),
          author: draft.author,
          cover: { cover_type: 'photo', photo_url: draft.coverUrl, status: 'show' },
          description: draft.description.slice(0, DESCRIPTION_MAX),
          body: paragraphs,
          status: 'show',
          comment: 'show',
        }),
      );
      return { token: data.token };
    },
    async verify(token) {
      const data = verifyData.parse(await client.post('/v2.0/article/verify', { token }));
      return { articleId: data.id };
    },
    async broadcast(articleId) {
      // An empty target means no demographic filter: every follower.
      const data = broadcastData.parse(
        await client.post('/v2.0/oa/message', {
          recipient: { target: {} },
          message: {
            attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'article', attachment_id: articleId }] } },
          },
        }),
      );
      return { messageId: data.message_id };
    },
  };
}
