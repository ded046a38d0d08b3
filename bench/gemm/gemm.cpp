// The GEMM reference of the benchmark: times Eigen float32 matrix products of exactly the shapes
// a Fisher-vector product issues (the tangent pass J v and the backward pass J^T u of a tanh MLP
// over 1024-row chunks, as cpp/mlp.cpp does), without the element-wise work, and a large square
// GEMM as the machine's practical peak. Built by bench/gemm/gemm.ts with the addon's flags.
//
//   gemm <inDim> <outDim> <hidden,hidden,...> <rows> <threads> <minSeconds>
// prints one JSON object: {"fvpShapesGflops":..,"squareGflops":..,"flopsPerProduct":..,...}
#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Clock = std::chrono::steady_clock;

namespace {

struct Layer {
  long in, out;
  Mat W, dW, gW;
};

// The matrices of one chunk of rows and the products of one Fisher-vector product on it.
struct Chunk {
  long rows;
  std::vector<Mat> h;   // h[0] = input, h[l + 1] = activation of layer l
  std::vector<Mat> dh;  // tangents
  std::vector<Mat> g;   // backward signals, g[l] = rows x out of layer l

  Chunk(long r, const std::vector<Layer>& layers) : rows(r) {
    h.push_back(Mat::Random(r, layers[0].in));
    for (const Layer& L : layers) {
      h.push_back(Mat::Random(r, L.out));
      dh.push_back(Mat::Zero(r, L.out));
      g.push_back(Mat::Random(r, L.out));
    }
  }

  void product(std::vector<Layer>& layers) {
    const size_t n = layers.size();
    for (size_t l = 0; l < n; ++l) {  // tangent: dh_l = h_{l-1} dW^T (+ dh_{l-1} W^T)
      dh[l].noalias() = h[l] * layers[l].dW.transpose();
      if (l > 0) dh[l].noalias() += dh[l - 1] * layers[l].W.transpose();
    }
    for (size_t l = n; l-- > 0;) {  // backward: gW += g_l^T h_{l-1}; g_{l-1} = g_l W
      layers[l].gW.noalias() += g[l].transpose() * h[l];
      if (l > 0) g[l - 1].noalias() = g[l] * layers[l].W;
    }
  }
};

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct Timing {
  double wall, cpu;  // seconds per round: elapsed, and process CPU time (all threads)
};

// Runs `work(thread)` on `threads` threads until minSeconds have passed.
template <typename F>
Timing timeRounds(int threads, double minSeconds, F work) {
  for (int t = 0; t < threads; ++t) work(t);  // warm-up (single-threaded, allocates)
  long rounds = 0;
  const std::clock_t cpuStart = std::clock();
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < minSeconds || rounds < 3) {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back([&, t] { for (int k = 0; k < 5; ++k) work(t); });
    for (int k = 0; k < 5; ++k) work(0);
    for (auto& th : pool) th.join();
    rounds += 5;
    elapsed = seconds(start, Clock::now());
  }
  const double cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  return Timing{elapsed / static_cast<double>(rounds), cpu / static_cast<double>(rounds)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: gemm <inDim> <outDim> <hidden,...> <rows> <threads> <minSeconds>\n");
    return 2;
  }
  const long inDim = std::atol(argv[1]);
  const long outDim = std::atol(argv[2]);
  std::vector<long> widths{inDim};
  std::stringstream hs(argv[3]);
  for (std::string w; std::getline(hs, w, ',');) widths.push_back(std::atol(w.c_str()));
  widths.push_back(outDim);
  const long rows = std::atol(argv[4]);
  const int threads = std::max(1, std::atoi(argv[5]));
  const double minSeconds = std::atof(argv[6]);

  std::vector<std::vector<Layer>> layersPerThread(threads);
  for (auto& layers : layersPerThread)
    for (size_t l = 0; l + 1 < widths.size(); ++l)
      layers.push_back(Layer{widths[l], widths[l + 1], Mat::Random(widths[l + 1], widths[l]),
                             Mat::Random(widths[l + 1], widths[l]), Mat::Zero(widths[l + 1], widths[l])});

  // 1024-row chunks as in the core; chunk c runs on thread c % threads.
  const long kChunk = 1024;
  std::vector<std::vector<Chunk>> chunksPerThread(threads);
  long c = 0;
  for (long begin = 0; begin < rows; begin += kChunk, ++c) {
    chunksPerThread[c % threads].emplace_back(std::min(kChunk, rows - begin), layersPerThread[c % threads]);
  }

  // FLOPs of one product: 2 * MACs, tangent and backward.
  double flops = 0;
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    const double mac = static_cast<double>(rows) * widths[l] * widths[l + 1];
    flops += 2 * (l == 0 ? 1 : 2) * mac * 2;  // tangent + backward, each 1 (first layer) or 2 matmuls
  }
  const Timing perProduct = timeRounds(threads, minSeconds, [&](int t) {
    for (Chunk& ch : chunksPerThread[t]) ch.product(layersPerThread[t]);
  });

  // A large square float32 GEMM per thread: the practical peak of Eigen on this machine.
  const long S = 768;
  std::vector<Mat> A(threads), B(threads), C(threads);
  for (int t = 0; t < threads; ++t) {
    A[t] = Mat::Random(S, S);
    B[t] = Mat::Random(S, S);
    C[t] = Mat::Zero(S, S);
  }
  const Timing perSquare = timeRounds(threads, minSeconds, [&](int t) { C[t].noalias() = A[t] * B[t]; });
  const double squareFlops = 2.0 * S * S * S * threads;

  // *CpuGflops: FLOPs per CPU-second (all threads), i.e. the rate per busy core.
  std::printf(
      "{\"rows\":%ld,\"threads\":%d,\"flopsPerProduct\":%.0f,\"secondsPerProduct\":%.9g,\"fvpShapesGflops\":%.4g,"
      "\"fvpShapesCpuGflops\":%.4g,\"squareSize\":%ld,\"squareGflops\":%.4g,\"squareCpuGflops\":%.4g,\"simd\":\"%s\"}\n",
      rows, threads, flops, perProduct.wall, flops / perProduct.wall * 1e-9, flops / perProduct.cpu * 1e-9, S,
      squareFlops / perSquare.wall * 1e-9, squareFlops / perSquare.cpu * 1e-9, Eigen::SimdInstructionSetsInUse());
  return 0;
}
