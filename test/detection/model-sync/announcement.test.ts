import { describe, expect, it } from 'vitest';
import { fromHandshake, fromModelSyncReply } from '../../../src/detection/model-sync/announcement.js';

const hash = 'AB'.repeat(32);

describe('model announcements from the server', () => {
  it('reads the handshake data.ai_model (hash normalised to lower case)', () => {
    const aiModel = { target_version: 'v1.2.0', hash, update_source_url: 'https://rvm.example/api/v1/edge/download-model/abab' };
    expect(fromHandshake(aiModel)).toEqual({ version: 'v1.2.0', sha256: 'ab'.repeat(32), url: aiModel.update_source_url });
  });

  it('treats the server default (no active model: hash and url null) and malformed data as no announcement', () => {
    expect(fromHandshake({ target_version: 'v1.0.0', hash: null, update_source_url: null })).toBeNull();
    expect(fromHandshake({ target_version: 'v1', hash: 'not-hex', update_source_url: '/x' })).toBeNull();
    expect(fromHandshake('garbage')).toBeNull();
  });

  it('reads a model-sync reply with an update, and nothing from one without', () => {
    const reply = {
      status: 'success',
      update_available: true,
      data: { model_name: 'rvm-yolo11n', latest_version: '3.0.0', sha256_hash: hash, download_url: `/api/v1/edge/download-model/${hash}` },
    };
    expect(fromModelSyncReply(reply)).toEqual({ version: '3.0.0', sha256: 'ab'.repeat(32), url: reply.data.download_url, name: 'rvm-yolo11n' });
    expect(fromModelSyncReply({ status: 'success', update_available: false, current_version: '3.0.0' })).toBeNull();
  });
});
