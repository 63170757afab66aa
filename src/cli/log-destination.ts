// Where log lines go: JSON lines (one object a line, for collectors) unless a person reads them on a
// terminal, who gets them human (time, level, message: "12:00:01 INFO: GET /api/scans 200 12 ms").
import pino from 'pino';
import pinoPretty from 'pino-pretty';

export interface LogDestinationOptions {
  /** A file descriptor (2: standard error) or a stream. */
  destination: number | NodeJS.WritableStream;
  /** Human lines; default: whether standard error, where the logs go, is a terminal. */
  human?: boolean;
  colorize?: boolean;
}

export function logDestination(options: LogDestinationOptions): pino.DestinationStream {
  const human = options.human ?? process.stderr.isTTY === true;
  if (!human) {
    return typeof options.destination === 'number'
      ? pino.destination(options.destination)
      : (options.destination as pino.DestinationStream);
  }
  return pinoPretty({
    destination: options.destination,
    sync: true,
    colorize: options.colorize ?? (options.human === undefined && process.stderr.isTTY === true),
    translateTime: 'SYS:HH:MM:ss',
    // The request line says it all; its fields stay in the JSON form.
    ignore: 'pid,hostname,service,reqId,req,res,responseTime',
    singleLine: true,
  });
}
