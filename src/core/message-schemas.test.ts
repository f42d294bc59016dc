import { describe, expect, it } from 'vitest';
import { parseMessage } from './message-schemas';

describe('parseMessage', () => {
  it('ignores messages that are not ours', () => {
    expect(parseMessage(null)).toBeNull();
    expect(parseMessage('hello')).toBeNull();
    expect(parseMessage({ type: 'getState', args: {} })).toBeNull();
  });
  it('accepts a well-formed message', () => {
    expect(parseMessage({ channel: 'os-api-keyring', type: 'setActiveProject', args: { id: null } })).toEqual({
      type: 'setActiveProject',
      args: { id: null },
    });
  });
  it.each([
    [{ channel: 'os-api-keyring', type: 'nope', args: {} }, 'Unknown message type.'],
    [{ channel: 'os-api-keyring', type: 'toString', args: {} }, 'Unknown message type.'],
    [{ channel: 'os-api-keyring', type: 'deleteProject', args: { id: 5 } }, 'Malformed deleteProject message.'],
    [{ channel: 'os-api-keyring', type: 'getState', args: { extra: 1 } }, 'Malformed getState message.'],
    [
      { channel: 'os-api-keyring', type: 'saveProject', args: { name: 'A', key: 'K', secret: '', authMode: 'cookie' } },
      'Malformed saveProject message.',
    ],
  ])('rejects %j', (raw, error) => {
    expect(parseMessage(raw)).toEqual({ error });
  });
});
