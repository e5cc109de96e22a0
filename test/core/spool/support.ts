import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrackerLogger, UsageEvent } from '../../../src/core/index.js';

export interface LogLine {
  level: 'warn' | 'error';
  message: string;
  details: Record<string, unknown>;
}

/** A logger that keeps its lines for assertions. */
export function recordingLogger(): TrackerLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    warn: (message, details) => lines.push({ level: 'warn', message, details }),
    error: (message, details) => lines.push({ level: 'error', message, details }),
  };
}

/** A fresh spool directory, removed by the returned function. */
export function tempSpoolDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'spool-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A loopback TCP server standing in for a PostgreSQL that is down in a given way: `reset` accepts
 * and drops every connection, `silent` accepts and never answers. It counts connections.
 */
export async function fakeDatabaseServer(mode: 'reset' | 'silent'): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (mode === 'reset') socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/nowhere`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sampleEvent = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
  section: 'chat',
  modelName: 'gemini-2.5-flash',
  promptTokens: 150,
  completionTokens: 80,
  responseTimeMs: 1200,
  ...overrides,
});
