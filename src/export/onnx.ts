/**
 * The ONNX graph of a policy (opset 13, IR version 7), float32:
 *
 *   obs [batch, obsDim]
 *     → Sub(mean) → Div(sqrt(var + eps)) → Clip(±clipObs)      (VecNormalize, when trained with it;
 *       Where(mask) for a Dict space: only its normalized keys)
 *     → Slice / Equal(values) → Cast → Concat                   (non-Box spaces: flattenPacked's one-hot)
 *     → Gemm(W, b, transB = 1) → Tanh → ... → Gemm               (the actor MLP)
 *     → Max(low) → Min(high)         Box: action float32 [batch, actDim], the mean clipped to the space
 *       ArgMax(axis 1) (+ start)      Discrete: action int64 [batch], an element of the space
 *       Slice → ArgMax per component → Concat (+ start)
 *                                      MultiDiscrete: action int64 [batch, K], elements of the space
 *       Greater(0) → Cast(int64)       MultiBinary: action int64 [batch, n] of 0/1
 */
import { AttributeType, DataType, encodeModel } from './onnx-proto.js';
import type { Activation, ActionHead, PolicySpec } from './policy-spec.js';

/** The ONNX operator set the exported models use (default domain, opset 13). */
export const ONNX_OPSET = 13;
/** The ONNX IR version of the exported models (7, the one of opset 13). */
export const ONNX_IR_VERSION = 7;

/** The ONNX operator of each hidden activation. */
const ACTIVATION_OPS: Record<Activation, string> = { tanh: 'Tanh', relu: 'Relu' };

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const f = Float32Array.from(values);
  const bytes = new Uint8Array(f.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < f.length; i++) view.setFloat32(i * 4, f[i], true);
  return { name, dims, data_type: DataType.FLOAT, raw_data: bytes };
}

function int64Tensor(name: string, dims: number[], values: readonly number[]): Tensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((x, i) => view.setBigInt64(i * 8, BigInt(x), true));
  return { name, dims, data_type: DataType.INT64, raw_data: bytes };
}

interface Node {
  op_type: string;
  name: string;
  input: string[];
  output: string[];
  attribute?: Record<string, unknown>[];
}

const intAttr = (name: string, i: number): Record<string, unknown> => ({ name, i, type: AttributeType.INT });

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Record<string, unknown> {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } },
  };
}

/** The head's nodes from the network output `out` to the graph output 'action', and the output's type. */
function headNodes(head: ActionHead, out: string, init: Tensor[]): { nodes: Node[]; output: Record<string, unknown> } {
  switch (head.kind) {
    case 'box':
      init.push(floatTensor('action_low', [head.size], head.low), floatTensor('action_high', [head.size], head.high));
      return {
        nodes: [
          { op_type: 'Max', name: 'clip_low', input: [out, 'action_low'], output: ['mean_low'] },
          { op_type: 'Min', name: 'clip_high', input: ['mean_low', 'action_high'], output: ['action'] },
        ],
        output: valueInfo('action', DataType.FLOAT, ['batch', head.size]),
      };
    case 'discrete': {
      const argmax: Node = { op_type: 'ArgMax', name: 'argmax', input: [out], output: [head.start === 0 ? 'action' : 'index'], attribute: [intAttr('axis', 1), intAttr('keepdims', 0)] };
      const nodes = [argmax];
      if (head.start !== 0) {
        init.push(int64Tensor('action_start', [], [head.start]));
        nodes.push({ op_type: 'Add', name: 'shift', input: ['index', 'action_start'], output: ['action'] });
      }
      return { nodes, output: valueInfo('action', DataType.INT64, ['batch']) };
    }
    case 'multiDiscrete': {
      // component c's logits are columns [offset_c, offset_c + nvec[c]) of the net output
      const nodes: Node[] = [];
      init.push(int64Tensor('logit_axes', [1], [1]));
      let offset = 0;
      head.nvec.forEach((k, c) => {
        init.push(int64Tensor(`logit_${c}_begin`, [1], [offset]), int64Tensor(`logit_${c}_end`, [1], [offset + k]));
        nodes.push(
          { op_type: 'Slice', name: `slice_${c}`, input: [out, `logit_${c}_begin`, `logit_${c}_end`, 'logit_axes'], output: [`logits_${c}`] },
          { op_type: 'ArgMax', name: `argmax_${c}`, input: [`logits_${c}`], output: [`index_${c}`], attribute: [intAttr('axis', 1), intAttr('keepdims', 1)] },
        );
        offset += k;
      });
      init.push(int64Tensor('action_start', [head.nvec.length], head.start));
      nodes.push(
        { op_type: 'Concat', name: 'concat', input: head.nvec.map((_, c) => `index_${c}`), output: ['index'], attribute: [intAttr('axis', 1)] },
        { op_type: 'Add', name: 'shift', input: ['index', 'action_start'], output: ['action'] },
      );
      return { nodes, output: valueInfo('action', DataType.INT64, ['batch', head.nvec.length]) };
    }
    case 'multiBinary':
      // bit j = 1 when logit j > 0 (p > 1/2), as Bernoulli.mode
      init.push(floatTensor('logit_zero', [], [0]));
      return {
        nodes: [
          { op_type: 'Greater', name: 'positive', input: [out, 'logit_zero'], output: ['bits'] },
          { op_type: 'Cast', name: 'to_int64', input: ['bits'], output: ['action'], attribute: [intAttr('to', DataType.INT64)] },
        ],
        output: valueInfo('action', DataType.INT64, ['batch', head.n]),
      };
  }
}

/** The serialized ONNX model of a policy. */
export function onnxModelOf(spec: PolicySpec): Uint8Array {
  const init: Tensor[] = [];
  const nodes: Node[] = [];
  let x = 'obs';
  const norm = spec.normalization;
  if (norm) {
    const std = Array.from(norm.var, (v) => Math.sqrt(v + norm.epsilon));
    init.push(floatTensor('obs_mean', [spec.obsDim], norm.mean), floatTensor('obs_std', [spec.obsDim], std),
      floatTensor('obs_clip_min', [], [-norm.clip]), floatTensor('obs_clip_max', [], [norm.clip]));
    nodes.push(
      { op_type: 'Sub', name: 'normalize_center', input: ['obs', 'obs_mean'], output: ['obs_centered'] },
      { op_type: 'Div', name: 'normalize_scale', input: ['obs_centered', 'obs_std'], output: ['obs_scaled'] },
      { op_type: 'Clip', name: 'normalize_clip', input: ['obs_scaled', 'obs_clip_min', 'obs_clip_max'], output: ['obs_normalized'] },
    );
    x = 'obs_normalized';
    if (norm.mask) {
      // Dict spaces: only the normObsKeys' entries are normalized, the others pass as they are
      init.push(floatTensor('obs_norm_mask_f', [spec.obsDim], norm.mask.map(Number)));
      nodes.push(
        { op_type: 'Cast', name: 'normalize_mask', input: ['obs_norm_mask_f'], output: ['obs_norm_mask'], attribute: [intAttr('to', DataType.BOOL)] },
        { op_type: 'Where', name: 'normalize_select', input: ['obs_norm_mask', 'obs_normalized', 'obs'], output: ['obs_masked'] },
      );
      x = 'obs_masked';
    }
  }
  if (spec.flatten) {
    // flattenPacked: Box/MultiBinary entries as they are, Discrete/MultiDiscrete values one-hot
    init.push(int64Tensor('flat_axes', [1], [1]));
    const pieces: string[] = [];
    spec.flatten.forEach((p, i) => {
      const size = p.kind === 'copy' ? p.size : 1;
      init.push(int64Tensor(`flat_${i}_begin`, [1], [p.packedOffset]), int64Tensor(`flat_${i}_end`, [1], [p.packedOffset + size]));
      nodes.push({ op_type: 'Slice', name: `flat_${i}_slice`, input: [x, `flat_${i}_begin`, `flat_${i}_end`, 'flat_axes'], output: [`flat_${i}_in`] });
      if (p.kind === 'copy') {
        pieces.push(`flat_${i}_in`);
      } else {
        init.push(floatTensor(`flat_${i}_values`, [p.n], Array.from({ length: p.n }, (_, k) => p.start + k)));
        nodes.push(
          { op_type: 'Equal', name: `flat_${i}_equal`, input: [`flat_${i}_in`, `flat_${i}_values`], output: [`flat_${i}_hot`] },
          { op_type: 'Cast', name: `flat_${i}_cast`, input: [`flat_${i}_hot`], output: [`flat_${i}_out`], attribute: [intAttr('to', DataType.FLOAT)] },
        );
        pieces.push(`flat_${i}_out`);
      }
    });
    nodes.push({ op_type: 'Concat', name: 'flatten', input: pieces, output: ['obs_flat'], attribute: [intAttr('axis', 1)] });
    x = 'obs_flat';
  }
  spec.layers.forEach((layer, l) => {
    const last = l === spec.layers.length - 1;
    init.push(floatTensor(`pi_${l}_weight`, [layer.outDim, layer.inDim], layer.weight), floatTensor(`pi_${l}_bias`, [layer.outDim], layer.bias));
    const z = last ? 'net_out' : `pi_${l}_pre`;
    nodes.push({ op_type: 'Gemm', name: `pi_${l}`, input: [x, `pi_${l}_weight`, `pi_${l}_bias`], output: [z], attribute: [intAttr('transB', 1)] });
    if (!last) {
      nodes.push({ op_type: ACTIVATION_OPS[spec.activation], name: `pi_${l}_act`, input: [z], output: [`pi_${l}_out`] });
      x = `pi_${l}_out`;
    }
  });
  const head = headNodes(spec.head, 'net_out', init);
  nodes.push(...head.nodes);
  const m = spec.metadata;
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    producer_name: 'trpo-node',
    producer_version: m.packageVersion,
    doc_string: `Deterministic TRPO policy${m.envId ? ` for ${m.envId}` : ''}: raw observations in (obs), actions out (action).`,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'trpo_policy',
      node: nodes,
      initializer: init,
      input: [valueInfo('obs', DataType.FLOAT, ['batch', spec.obsDim])],
      output: [head.output],
    },
    metadata_props: Object.entries({ ...m, observationSpace: JSON.stringify(m.observationSpace), actionSpace: JSON.stringify(m.actionSpace) })
      .map(([key, value]) => ({ key, value: String(value) })),
  });
}
