// The client side of the WebSocket benchmark, run as a child process: opens
// many sockets to one URL and records, per received event name, when each
// socket got it (wall-clock milliseconds with sub-millisecond precision, so
// the parent process can compare them with its own send times).
import { fork } from 'node:child_process';
import { WebSocket } from 'ws';

export interface ClientsRequest {
  url: string;
  clients: number;
}

/** Receive times per event name, one entry per socket that got it. */
export type ReceiveTimes = Record<string, number[]>;

export interface ClientsHandle {
  /** Resolves when every socket is open. */
  ready: Promise<void>;
  /** Stops the clients and returns what they received. */
  collect(): Promise<ReceiveTimes>;
}

const wallClock = () => performance.timeOrigin + performance.now();

async function openClients(request: ClientsRequest, received: ReceiveTimes): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < request.clients; i += 1) {
    const ws = new WebSocket(request.url, { perMessageDeflate: false });
    ws.on('message', (data) => {
      const at = wallClock();
      const { name } = JSON.parse(String(data)) as { name: string };
      (received[name] ??= []).push(at);
    });
    sockets.push(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  }
  return sockets;
}

/** Starts the clients in a child process. */
export function startClients(request: ClientsRequest): ClientsHandle {
  const child = fork(new URL(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  child.send(request);
  return {
    ready,
    collect: () =>
      new Promise((resolve) => {
        child.once('message', (times) => {
          resolve(times as ReceiveTimes);
          child.kill();
        });
        child.send('collect');
      }),
  };
}

if (process.argv.includes('--child')) {
  const received: ReceiveTimes = {};
  let sockets: WebSocket[] = [];
  process.on('message', (message) => {
    if (message === 'collect') {
      for (const ws of sockets) ws.terminate();
      process.send?.(received);
      return;
    }
    void openClients(message as ClientsRequest, received).then((opened) => {
      sockets = opened;
      process.send?.('ready');
    });
  });
}
