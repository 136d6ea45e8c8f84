#include "nn/recurrent.h"

#include "vidrnn/errors.h"

namespace vidrnn::nn {

namespace rnn = torch::nn::utils::rnn;

RecurrentClassifierImpl::RecurrentClassifierImpl(const ClassifierOptions& options_,
                                                 RecurrentCell cell, int64_t directions)
    : options(options_), mGru(cell == RecurrentCell::Gru), mDirections(directions) {
    const int64_t layers = options.num_layers();
    TORCH_CHECK(layers >= 1, "recurrent classifier: layers must be resolved, got ", layers);
    TORCH_CHECK(directions == 1 || (directions == 2 && !mGru),
                "recurrent classifier: directions 1, or 2 for an LSTM, got ", directions);
    // Dropout between stacked layers only makes sense (and only avoids
    // LibTorch's warning) with more than one layer.
    const double between = layers > 1 ? options.dropout() : 0.0;
    if (mGru) {
        gru = register_module(
            "rnn", torch::nn::GRU(torch::nn::GRUOptions(options.input_size(), options.hidden_size())
                                      .num_layers(layers)
                                      .dropout(between)
                                      .batch_first(true)));
    } else {
        lstm = register_module("rnn", torch::nn::LSTM(torch::nn::LSTMOptions(options.input_size(),
                                                                             options.hidden_size())
                                                          .num_layers(layers)
                                                          .dropout(between)
                                                          .bidirectional(mDirections == 2)
                                                          .batch_first(true)));
    }
    dropout = register_module("dropout", torch::nn::Dropout(options.dropout()));
    head = register_module(
        "head", torch::nn::Linear(options.hidden_size() * mDirections, options.num_classes()));
}

ClipOutput RecurrentClassifierImpl::forward(const torch::Tensor& input,
                                            const torch::Tensor& lengths_in) {
    // Maps are pooled over space: the global average pool of the backbone.
    const torch::Tensor x = input.dim() == 5 ? input.mean({3, 4}) : input;
    TORCH_CHECK(x.dim() == 3, "recurrent classifier: expected [B,T,D] or [B,T,C,H,W], got ",
                input.sizes());
    TORCH_CHECK(x.size(2) == options.input_size(), "recurrent classifier: feature size ", x.size(2),
                " but the model was built for ", options.input_size());
    const auto lengths = detail::checkedLengths(x, lengths_in);
    const int64_t steps = x.size(1);
    const bool ragged = detail::anyShorter(lengths_in, steps);

    torch::Tensor out;  // [B,T,H*dirs]
    torch::Tensor h_n;  // [layers*dirs, B, H]
    if (compute_type != x.scalar_type()) {
        std::tie(out, h_n) = lowPrecision(x, lengths, ragged);
    } else if (mGru && detail::oneDnnLinear(x)) {
        // The module's own options: its layers and the dropout between them.
        std::tie(out, h_n) = detail::gruLoop(
            x, gru->all_weights(), gru->options.num_layers(), gru->options.dropout(), is_training(),
            ragged ? detail::validMask(lengths, steps).unsqueeze(2) : torch::Tensor());
    } else if (ragged) {
        // Packing keeps padding out of the state (and out of the backward
        // direction of a bidirectional LSTM, which starts at the last valid step).
        auto packed = rnn::pack_padded_sequence(x, lengths.cpu(), /*batch_first=*/true,
                                                /*enforce_sorted=*/false);
        auto unpack = [steps](const rnn::PackedSequence& p) {
            return std::get<0>(rnn::pad_packed_sequence(p, /*batch_first=*/true,
                                                        /*padding_value=*/0.0, steps));
        };
        if (mGru) {
            auto result = gru->forward_with_packed_input(packed);
            out = unpack(std::get<0>(result));
            h_n = std::get<1>(result);
        } else {
            auto result = lstm->forward_with_packed_input(packed);
            out = unpack(std::get<0>(result));
            h_n = std::get<0>(std::get<1>(result));
        }
    } else if (mGru) {
        std::tie(out, h_n) = gru->forward(x);
    } else {
        std::tuple<torch::Tensor, torch::Tensor> state;
        std::tie(out, state) = lstm->forward(x);
        h_n = std::get<0>(state);
    }

    // The clip is what the top layer knows after its last valid step: both
    // directions' final states for the bidirectional LSTM.
    const int64_t layers = options.num_layers();
    torch::Tensor clip;
    if (mDirections == 2) {
        auto top = h_n.view({layers, 2, x.size(0), options.hidden_size()}).select(0, layers - 1);
        clip = torch::cat({top[0], top[1]}, 1);
    } else {
        clip = h_n[layers - 1];
    }
    ClipOutput result;
    result.clip_logits = head(dropout(clip));
    auto steps_logits = head(dropout(out));
    if (ragged) {
        steps_logits = steps_logits * detail::validMask(lengths, steps).unsqueeze(2);
    }
    result.step_logits = steps_logits;
    return result;
}

// LibTorch's recurrent modules take one type for input, weights and state, so
// mixed precision calls the same kernels (torch::lstm / torch::gru, what the
// modules call) with bf16 copies of the fp32 weights, made once per forward;
// the gradients reach the fp32 weights through the casts. Unlike the
// ConvLSTM, whose gates and cell state are fp32, these kernels keep h and c
// in bf16 between steps (their GEMMs accumulate in fp32). Only --precision
// bf16 takes this path: auto keeps these models in fp32 (precision.cpp).
std::pair<torch::Tensor, torch::Tensor> RecurrentClassifierImpl::lowPrecision(
    const torch::Tensor& x, const torch::Tensor& lengths, bool ragged) {
    const auto type = compute_type;
    std::vector<torch::Tensor> params;
    for (const auto& w : mGru ? gru->all_weights() : lstm->all_weights()) {
        params.push_back(w.to(type));
    }
    const int64_t layers = options.num_layers();
    const double between = layers > 1 ? options.dropout() : 0.0;
    const bool bidirectional = mDirections == 2;
    const auto xl = x.to(type);
    const auto h0 =
        torch::zeros({layers * mDirections, x.size(0), options.hidden_size()}, xl.options());
    torch::Tensor out, h_n, c_n;
    if (ragged) {
        auto packed = rnn::pack_padded_sequence(xl, lengths.cpu(), /*batch_first=*/true,
                                                /*enforce_sorted=*/false);
        torch::Tensor data;
        if (mGru) {
            std::tie(data, h_n) = torch::gru(packed.data(), packed.batch_sizes(), h0, params, true,
                                             layers, between, is_training(), bidirectional);
        } else {
            std::tie(data, h_n, c_n) =
                torch::lstm(packed.data(), packed.batch_sizes(), {h0, h0}, params, true, layers,
                            between, is_training(), bidirectional);
        }
        out = std::get<0>(rnn::pad_packed_sequence(
            rnn::PackedSequence(data, packed.batch_sizes(), packed.sorted_indices(),
                                packed.unsorted_indices()),
            /*batch_first=*/true, /*padding_value=*/0.0, x.size(1)));
        // The kernels see the clips sorted by length: states back in batch order.
        if (packed.unsorted_indices().defined()) {
            h_n = h_n.index_select(1, packed.unsorted_indices());
        }
    } else if (mGru) {
        std::tie(out, h_n) = torch::gru(xl, h0, params, true, layers, between, is_training(),
                                        bidirectional, /*batch_first=*/true);
    } else {
        std::tie(out, h_n, c_n) = torch::lstm(xl, {h0, h0}, params, true, layers, between,
                                              is_training(), bidirectional, /*batch_first=*/true);
    }
    return {out.to(x.scalar_type()), h_n.to(x.scalar_type())};
}

namespace detail {

// LibTorch's GRU on the CPU (aten::gru; it has no oneDNN kernel, unlike its
// LSTM on 2.x) does its products through ATen's BLAS, which in PyTorch's 2.x
// wheel is MKL, slow on AMD CPUs (see compat::kOneDnnCpuLinear). This is the
// recurrence of aten::gru's CPU loop (one product for every step's input
// gates, then one product and the gate arithmetic per step, autograd through
// it all) with the products in oneDNN. The classifier passes the module's own
// weights, so checkpoints and parameter counts do not change.
std::pair<torch::Tensor, torch::Tensor> gruLoop(const torch::Tensor& x,
                                                const std::vector<torch::Tensor>& weights,
                                                int64_t layers, double dropout, bool training,
                                                const torch::Tensor& valid) {
    TORCH_CHECK(x.dim() == 3, "GRU loop: expected [B,T,D], got ", x.sizes());
    TORCH_CHECK(layers >= 1 && static_cast<int64_t>(weights.size()) == 4 * layers,
                "GRU loop: expected 4 tensors per layer for ", layers, " layers, got ",
                weights.size());
    const int64_t batch = x.size(0);
    const int64_t steps = x.size(1);
    const int64_t hidden = weights[1].size(1);
    const bool oneDnn = at::hasMKLDNN() && x.is_cpu() && x.scalar_type() == torch::kFloat;
    // A step's product [B,H] x [H,3H] pays oneDNN's per-call cost (two layout
    // copies and the primitive) every step: below some 4M multiply-adds ATen's
    // own product is faster (bench_train, one thread, 2.15 on this AMD EPYC:
    // the step at B = 32 and hidden 64 / 128 / 256 / 512 took 3.41 / 6.06 /
    // 14.4 / 42.6 ms with ATen's step products, 4.92 / 6.79 / 13.5 / 34.6 ms
    // with oneDNN's).
    const bool stepOneDnn = oneDnn && batch * 3 * hidden * hidden >= (int64_t{1} << 22);
    torch::Tensor input = x;
    std::vector<torch::Tensor> finals;
    for (int64_t l = 0; l < layers; ++l) {
        const auto& w_ih = weights[4 * l];
        const auto& w_hh = weights[4 * l + 1];
        const auto& b_ih = weights[4 * l + 2];
        const auto& b_hh = weights[4 * l + 3];
        if (l > 0 && dropout > 0.0) {
            input = torch::dropout(input, dropout, training);
        }
        const auto gates_x = oneDnn ? linearOneDnn(input, w_ih, b_ih)
                                    : torch::nn::functional::linear(input, w_ih, b_ih);
        auto h = torch::zeros({batch, hidden}, x.options());
        std::vector<torch::Tensor> outs;
        outs.reserve(steps);
        for (int64_t t = 0; t < steps; ++t) {
            const auto gx = gates_x.select(1, t);
            const auto gh =
                stepOneDnn ? linearOneDnn(h, w_hh, b_hh) : torch::addmm(b_hh, h, w_hh.t());
            const auto rz =
                torch::sigmoid(gx.narrow(1, 0, 2 * hidden) + gh.narrow(1, 0, 2 * hidden));
            const auto r = rz.narrow(1, 0, hidden);
            const auto z = rz.narrow(1, hidden, hidden);
            const auto n = torch::tanh(gx.narrow(1, 2 * hidden, hidden) +
                                       r * gh.narrow(1, 2 * hidden, hidden));
            auto next = n + z * (h - n);
            if (valid.defined()) {
                const auto here = valid.select(1, t);
                outs.push_back(next.masked_fill(here.logical_not(), 0.0));
                h = torch::where(here, next, h);
            } else {
                outs.push_back(next);
                h = next;
            }
        }
        input = torch::stack(outs, 1);
        finals.push_back(h);
    }
    return {input, torch::stack(finals, 0)};
}

}  // namespace detail

}  // namespace vidrnn::nn
