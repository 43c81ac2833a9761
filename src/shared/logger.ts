import { pino, type Logger } from 'pino';

export type { Logger };

/** A logger that writes nothing: tools and tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** The logger a service writes through: the process's one logger, each line naming the service. */
export const serviceLogger = (root: Logger, service: string): Logger => root.child({ service });
