import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';

/** Blocks real network calls except to the local server under test, and checks no interceptor is left over. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.enableNetConnect();
  });
}

/** A successful /message/cs answer. */
export const sentOk = (messageId: string, userId: string) => ({ error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } });
