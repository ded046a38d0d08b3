/**
 * The ONNX protobuf messages an exported policy needs, written from onnx.proto's field numbers
 * (proto2, so every field set is written, defaults included), encoded with protobufjs.
 */
import { createRequire } from 'node:module';
import type { Type } from 'protobufjs';

const SCHEMA = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
  optional string domain = 7;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
  optional string doc_string = 12;
}
message TensorShapeProto {
  message Dimension {
    oneof value { int64 dim_value = 1; string dim_param = 2; }
  }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

let modelType: Type | null = null;

/** The ModelProto message type (protobufjs is loaded and the schema parsed on first use). */
export function modelProto(): Type {
  if (modelType === null) {
    const protobuf = createRequire(import.meta.url)('protobufjs') as typeof import('protobufjs');
    modelType = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** TensorProto.DataType values used here. */
export const DataType = Object.freeze({ FLOAT: 1, INT64: 7, BOOL: 9 });
/** AttributeProto.AttributeType values used here. */
export const AttributeType = Object.freeze({ FLOAT: 1, INT: 2 });

export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const T = modelProto();
  const err = T.verify(model);
  if (err) throw new Error(`ONNX export: invalid ModelProto: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}

export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const T = modelProto();
  return T.toObject(T.decode(bytes), { longs: Number, bytes: Array, oneofs: false }) as Record<string, unknown>;
}
