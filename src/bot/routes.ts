import type { Route } from './context.ts';
import { locationHandler, nonTextHandler, submitInfoHandler } from './handlers/fallback.ts';
import { mainMenu } from './handlers/menu.ts';
import { createChatNowHandler, createWelcomeHandler } from './handlers/welcome.ts';
import { text } from '../messages.ts';

export interface RouteDeps {
  hotline: string | undefined;
}

/** The routing table: read top to bottom, the first match wins. */
export function createRoutes(deps: RouteDeps): Route[] {
  return [
    { name: 'follow', match: (c) => c.event.type === 'follow', handle: createWelcomeHandler(deps.hotline) },
    { name: 'chatnow', match: (c) => c.event.type === 'click_chatnow', handle: createChatNowHandler(deps.hotline) },
    { name: 'location', match: (c) => c.event.type === 'location', handle: locationHandler },
    { name: 'submit_info', match: (c) => c.event.type === 'submit_info', handle: submitInfoHandler },
    { name: 'non_text', match: (c) => c.event.type === 'image' || c.event.type === 'attachment', handle: nonTextHandler },
    {
      name: 'greeting',
      match: (c) => c.event.type === 'text',
      handle: (c) => [text(c.t('greeting.hello')), mainMenu(c.t, deps.hotline)],
    },
  ];
}
