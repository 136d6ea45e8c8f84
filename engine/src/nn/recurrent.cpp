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

}  // namespace vidrnn::nn
