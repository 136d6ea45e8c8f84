// Carrier of the benchmarks' precompiled LibTorch header (bench/CMakeLists.txt).
