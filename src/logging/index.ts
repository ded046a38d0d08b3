/** SB3-style logging: Logger (record/dump), stdout table, CSV, JSON, TensorBoard event files. */
export { Logger } from './logger.js';
export type { KVWriter, LogFormat, LogValue } from './logger.js';
export { configureLogger, latestRunId } from './configure.js';
export type { LoggingOptions } from './configure.js';
export { HumanOutputFormat, formatTable } from './human.js';
export { CSVOutputFormat } from './csv.js';
export { JSONOutputFormat } from './json.js';
export { EventFileWriter, TensorBoardOutputFormat } from './tensorboard.js';
export { frameRecord, maskedCrc32c, readRecords } from './tfrecord.js';
export { decodeEvent, encodeEvent } from './event-proto.js';
export type { ScalarEvent } from './event-proto.js';
export { npyBytes, writeNpz } from './npz.js';
export type { NpyArray } from './npz.js';
