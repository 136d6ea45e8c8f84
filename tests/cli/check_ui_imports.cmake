# Fails when a ui source includes a group above its own: includes run down
#   instruments > shell > views > widgets > charts > models, work > support
# (ui/CMakeLists.txt), never back up, so a group can be read and tested
# without those that use it. A source may include its own group.
include(${CMAKE_CURRENT_LIST_DIR}/import_arrows.cmake)

set(rank_instruments 6)
set(rank_shell 5)
set(rank_views 4)
set(rank_widgets 3)
set(rank_charts 2)
set(rank_models 1)
set(rank_work 1)
set(rank_support 0)
file(GLOB_RECURSE sources "${UI_DIR}/*.cpp" "${UI_DIR}/*.h")
set(checked 0)
set(arrows "")
foreach(file ${sources})
  file(RELATIVE_PATH rel "${UI_DIR}" "${file}")
  string(REGEX MATCH "^[a-z]+" group "${rel}")
  if(NOT DEFINED rank_${group})
    message(FATAL_ERROR "ui/${rel}: group '${group}' has no rank in check_ui_imports.cmake")
  endif()
  file(STRINGS "${file}" includes REGEX "^#include \"[a-z]+/")
  foreach(line ${includes})
    string(REGEX REPLACE "^#include \"([a-z]+)/.*" "\\1" target "${line}")
    if(NOT DEFINED rank_${target})
      continue()  # vidrnn/ (the engine) and the like
    endif()
    import_arrow(${group} ${target} "ui/${rel}" "${line}")
  endforeach()
endforeach()
import_verdict(ui "${UI_DIR}" 50)
