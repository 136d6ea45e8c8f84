# vidrnn_add_test(NAME <tst_name> SOURCES ... LIBS ... [LABEL l] [TIMEOUT s] [QT] [TORCH])
# One executable per unit, registered with CTest, run offscreen with the source
# tree and the shared/ folder (if any) passed through the environment.
function(vidrnn_add_test)
  cmake_parse_arguments(T "QT;TORCH" "NAME;LABEL;TIMEOUT" "SOURCES;LIBS;ARGS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE vidrnn::warnings ${T_LIBS})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  if(T_QT)
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test)
    # Qt's `slots`/`signals` keywords clash with LibTorch headers.
    target_compile_definitions(${T_NAME} PRIVATE QT_NO_KEYWORDS)
  endif()
  if(T_TORCH AND VIDRNN_USE_PCH)
    target_precompile_headers(${T_NAME} REUSE_FROM vidrnn_test_torch_pch)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABEL}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;VIDRNN_SOURCE_DIR=${PROJECT_SOURCE_DIR};VIDRNN_SHARED_DIR=${VIDRNN_SHARED_DIR};VIDRNN_BINARY_DIR=${PROJECT_BINARY_DIR};OMP_NUM_THREADS=2")
endfunction()
