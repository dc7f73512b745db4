import { MAX_TEXT_LENGTH, text, type OutgoingMessage } from '../messages.ts';
import type { ArticleDraft } from '../zalo/articles.ts';
import type { PostRow } from './post-repository.ts';

// What followers receive for a post. In message mode the title is the staff's label and the body is the message,
// so "body ≤ 2,000 characters" is exactly Zalo's limit for one CS message: a post is never split into two sends,
// and a delivery row is one message.

type Content = Pick<PostRow, 'title' | 'body' | 'image_url' | 'link_url'>;

/**
 * One CS message: the body with a link button, or, with an image, the media template whose caption ends with the
 * link (buttons under a media template are not documented by Zalo, a plain URL in the caption is clickable).
 */
export function buildPostMessage(post: Content, linkButtonTitle: string): OutgoingMessage {
  if (post.image_url) {
    return { kind: 'image', imageUrl: post.image_url, text: post.link_url ? `${post.body}\n${post.link_url}` : post.body };
  }
  return text(post.body, post.link_url ? [{ kind: 'url', title: linkButtonTitle, url: post.link_url }] : undefined);
}

/** Length of the text followers get in message mode (must fit one Zalo message). */
export function messageLength(post: Pick<Content, 'body' | 'image_url' | 'link_url'>): number {
  const body = post.body.normalize('NFC');
  return post.image_url && post.link_url ? body.length + 1 + post.link_url.length : body.length;
}

export const MESSAGE_MAX = MAX_TEXT_LENGTH;

/** The article Zalo hosts in article mode: one paragraph per blank-line-separated block of the body. */
export function buildArticleDraft(post: Content, author: string): ArticleDraft {
  const paragraphs = post.body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  return {
    title: post.title,
    author,
    description: paragraphs[0] ?? post.title,
    coverUrl: post.image_url ?? '',
    paragraphs,
    ...(post.link_url ? { linkUrl: post.link_url } : {}),
  };
}
