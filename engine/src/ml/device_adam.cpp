#include "ml/device_adam.h"

#include <array>
#include <string>
#include <utility>

namespace vidrnn {

namespace {

std::vector<torch::optim::OptimizerParamGroup> oneGroup(std::vector<torch::Tensor> params) {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::move(params));
    return groups;
}

}  // namespace

std::array<std::pair<const char*, torch::Tensor*>, 3> DeviceAdam::fields(State& s) {
    return {{{"step", &s.step}, {"exp_avg", &s.expAvg}, {"exp_avg_sq", &s.expAvgSq}}};
}

DeviceAdam::DeviceAdam(std::vector<torch::Tensor> params, const torch::optim::AdamOptions& defaults)
    : Optimizer(oneGroup(std::move(params)),
                std::make_unique<torch::optim::AdamOptions>(defaults)) {
    TORCH_CHECK(!defaults.amsgrad(), "DeviceAdam: amsgrad is not supported");
    TORCH_CHECK(defaults.lr() >= 0, "DeviceAdam: invalid learning rate ", defaults.lr());
    for (const auto& group : param_groups()) {
        for (const auto& p : group.params()) {
            stateOf(p);
        }
    }
}

DeviceAdam::State& DeviceAdam::stateOf(const torch::Tensor& param) {
    auto it = mState.find(param.unsafeGetTensorImpl());
    if (it == mState.end()) {
        State s;
        s.step = torch::zeros({}, torch::dtype(torch::kDouble).device(param.device()));
        s.expAvg = torch::zeros_like(param, torch::MemoryFormat::Preserve);
        s.expAvgSq = torch::zeros_like(param, torch::MemoryFormat::Preserve);
        it = mState.emplace(param.unsafeGetTensorImpl(), std::move(s)).first;
    }
    return it->second;
}

torch::Tensor DeviceAdam::stepCount(const torch::Tensor& param) const {
    const auto it = mState.find(param.unsafeGetTensorImpl());
    return it == mState.end() ? torch::Tensor() : it->second.step;
}

torch::Tensor DeviceAdam::step(LossClosure closure) {
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto& group : param_groups()) {
        const auto& o = static_cast<const torch::optim::AdamOptions&>(group.options());
        const double beta1 = std::get<0>(o.betas());
        const double beta2 = std::get<1>(o.betas());
        for (auto& p : group.params()) {
            if (!p.grad().defined()) {
                continue;
            }
            auto grad = p.grad();
            auto& s = stateOf(p);
            // Every update is in place: the tensors keep their storage, as a
            // captured graph needs.
            s.step.add_(1);
            const auto correction1 = 1 - torch::pow(beta1, s.step);
            const auto correction2 = 1 - torch::pow(beta2, s.step);
            if (o.weight_decay() != 0) {
                grad = grad.add(p, o.weight_decay());
            }
            s.expAvg.mul_(beta1).add_(grad, 1 - beta1);
            s.expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            const auto denom = (s.expAvgSq.sqrt() / correction2.sqrt()).add_(o.eps());
            // LibTorch's p.addcdiv_(exp_avg, denom, -lr / correction1), with
            // the step size a device tensor instead of a host number.
            p.addcdiv_(s.expAvg * (-o.lr() / correction1), denom);
        }
    }
    return loss;
}

void DeviceAdam::save(torch::serialize::OutputArchive& archive) const {
    std::size_t index = 0;
    for (const auto& group : param_groups()) {
        for (const auto& p : group.params()) {
            auto s = mState.at(p.unsafeGetTensorImpl());  // handles: shares the tensors
            torch::serialize::OutputArchive one(archive.compilation_unit());
            for (const auto& [name, field] : fields(s)) {
                one.write(name, *field);
            }
            archive.write("param_" + std::to_string(index++), one);
        }
    }
}

void DeviceAdam::load(torch::serialize::InputArchive& archive) {
    torch::NoGradGuard noGrad;
    std::size_t index = 0;
    for (auto& group : param_groups()) {
        for (auto& p : group.params()) {
            torch::serialize::InputArchive one;
            archive.read("param_" + std::to_string(index++), one);
            auto& s = stateOf(p);
            for (const auto& [name, field] : fields(s)) {
                torch::Tensor stored;
                one.read(name, stored);
                TORCH_CHECK(stored.sizes() == field->sizes(), "DeviceAdam: stored ", name,
                            " has shape ", stored.sizes(), ", expected ", field->sizes());
                field->copy_(stored);  // in place: a captured graph keeps seeing it
            }
        }
    }
}

}  // namespace vidrnn
