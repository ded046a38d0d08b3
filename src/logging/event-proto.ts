/**
 * The TensorBoard `Event` protobuf messages this package writes (the subset of TensorFlow's
 * event.proto and summary.proto used for scalars), encoded with protobufjs.
 * Field numbers are those of the TensorFlow schema: Event { wall_time = 1, step = 2,
 * oneof what { file_version = 3, summary = 5 } }, Summary { repeated Value value = 1 },
 * Summary.Value { tag = 1, oneof value { simple_value = 2 } }.
 */
import { createRequire } from 'node:module';
import type { Type } from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorboard;
message Summary {
  message Value {
    string tag = 1;
    oneof value { float simple_value = 2; }
  }
  repeated Value value = 1;
}
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}
`;

let eventType: Type | null = null;

/** The Event message type (protobufjs is loaded and the schema parsed on first use, keeping `import 'trpo-node'` fast). */
export function eventMessage(): Type {
  if (eventType === null) {
    const protobuf = createRequire(import.meta.url)('protobufjs') as typeof import('protobufjs');
    eventType = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('tensorboard.Event');
  }
  return eventType;
}

/** A TensorBoard Event of the kinds this package writes, with TensorFlow's field names. */
export interface ScalarEvent {
  /** Seconds since the Unix epoch (float64). */
  wall_time: number;
  /** The global step (the model's numTimesteps). */
  step: number;
  /** Set in the first event of a file only: 'brain.Event:2'. */
  file_version?: string;
  /** The scalars of this step. */
  summary?: {
    /** One entry per scalar. */
    value: {
      /** The scalar's name, e.g. 'rollout/ep_rew_mean'. */
      tag: string;
      /** Its value (stored as float32). */
      simple_value: number;
    }[];
  };
}

/** The protobuf encoding of an Event (the data of one TFRecord). */
export function encodeEvent(e: ScalarEvent): Uint8Array {
  const T = eventMessage();
  return T.encode(T.fromObject(e)).finish();
}

/** Decodes an Event's protobuf bytes (int64 step as a number). */
export function decodeEvent(bytes: Uint8Array): ScalarEvent {
  const T = eventMessage();
  return T.toObject(T.decode(bytes), { longs: Number, oneofs: false }) as ScalarEvent;
}
