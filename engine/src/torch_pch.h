// Precompiled for every LibTorch source of the engine: torch/torch.h alone
// costs tens of seconds per translation unit.
#pragma once
#include <torch/torch.h>
