// The record of one finished run, in the companion API's wire shape, handed to the service
// worker (which stores it durably and syncs it). Output is kept as the panel showed it.
import { BACKGROUND_MESSAGE, askBackground } from '../shared/messages.js';

const MAX_RECORD_OUTPUT = 1_000_000;

export class RunRecorder {
  constructor({ code, language, title, messageId }) {
    this.startedAt = new Date();
    this.output = [];
    this.size = 0;
    this.truncated = false;
    this.base = { code, language, title: title || null, message_uuid: messageId || null };
  }

  add(chunks) {
    const now = new Date().toISOString();
    for (const { stream, text } of chunks) {
      const content = String(text);
      if (this.size + content.length > MAX_RECORD_OUTPUT) {
        this.truncated = true;
        continue;
      }
      this.size += content.length;
      const last = this.output[this.output.length - 1];
      // Consecutive text of one stream is one item; figures and tables stay one item each.
      if (last && last.type === stream && !['figure', 'table'].includes(stream)) last.content += content;
      else this.output.push({ type: stream, content, timestamp: now });
    }
  }

  /** Send the finished run; resolves with the sync status (or null if the worker is away). */
  async finish({ status, durationMs, truncated }) {
    const record = {
      execution_id: crypto.randomUUID(),
      timestamp: this.startedAt.toISOString(),
      execution_time_ms: Math.max(0, Math.round(durationMs || 0)),
      status,
      output: this.output,
      truncated: Boolean(truncated || this.truncated),
      // The service worker keeps of it what the user chose to store (options: "What is stored").
      page: { url: location.href.slice(0, 2048), title: document.title.slice(0, 500) },
      ...this.base,
    };
    try {
      const reply = await askBackground(BACKGROUND_MESSAGE.recordRun, { record });
      return reply && reply.ok ? reply.status : null;
    } catch {
      return null;
    }
  }
}
