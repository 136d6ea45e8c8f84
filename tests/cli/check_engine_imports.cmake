# Fails when an engine source or public header includes something of a folder
# above its own: includes run down
#   vidrnn::engine  ml > nn
#   vidrnn::core    report > sweep > store > demo > eval > data > provenance > config > util
# (docs/development.md, Layout), never back up, so a folder can be read and
# tested without those that use it, and nothing in vidrnn::core needs
# vidrnn::engine. A public header (include/vidrnn) counts as part of the
# folder that implements it (the table below), so a header half implemented
# in each library shows up as an arrow running up. A source may include its
# own folder.
include(${CMAKE_CURRENT_LIST_DIR}/import_arrows.cmake)

set(core_folders util config provenance data eval demo store sweep report)
set(engine_folders nn ml)
set(rank 0)
foreach(folder ${core_folders} ${engine_folders})
  set(rank_${folder} ${rank})
  math(EXPR rank "${rank} + 1")
endforeach()

# Each public header and the folder that implements it (header-only ones: the
# lowest folder that uses it).
set(owner_errors util)
# Header-only, standard library only: every layer may escape and measure text.
set(owner_textwidth util)
set(owner_backbones config)
set(owner_config config)
set(owner_models config)
set(owner_archs config)
set(owner_paths config)
set(owner_precision config)
set(owner_provenance provenance)
set(owner_dataset data)
set(owner_splits data)
set(owner_video data)
set(owner_earlycurve eval)
set(owner_metrics eval)
set(owner_orderdiag eval)
set(owner_demo demo)
set(owner_store store)
set(owner_runjson store)
set(owner_outcome sweep)
set(owner_sweep sweep)
set(owner_sweepprogress sweep)
set(owner_compare report)
set(owner_report report)
set(owner_rerun report)
set(owner_stats report)
set(owner_table report)
set(owner_experiment ml)
set(owner_features ml)
set(owner_runtime ml)
set(owner_trainer ml)

# The libraries are built from these folders (engine/CMakeLists.txt).
file(READ "${ENGINE_DIR}/CMakeLists.txt" cmakelists)
string(REGEX MATCH "GLOB VIDRNN_CORE_SOURCES[^)]*" core_glob "${cmakelists}")
string(REGEX MATCH "GLOB VIDRNN_TORCH_SOURCES[^)]*" torch_glob "${cmakelists}")
foreach(folder ${core_folders} ${engine_folders})
  list(FIND core_folders ${folder} in_core)
  if(in_core GREATER -1)
    set(glob "${core_glob}")
    set(other "${torch_glob}")
  else()
    set(glob "${torch_glob}")
    set(other "${core_glob}")
  endif()
  if(NOT glob MATCHES "/src/${folder}/" OR other MATCHES "/src/${folder}/")
    message(FATAL_ERROR "engine/src/${folder} is not compiled into its library alone "
                        "(engine/CMakeLists.txt)")
  endif()
endforeach()

file(GLOB_RECURSE sources "${ENGINE_DIR}/src/*.cpp" "${ENGINE_DIR}/src/*.h"
                          "${ENGINE_DIR}/include/vidrnn/*.h")
set(checked 0)
set(arrows "")
foreach(file ${sources})
  file(RELATIVE_PATH rel "${ENGINE_DIR}" "${file}")
  if(rel MATCHES "^include/vidrnn/([a-z_]+)\\.h$")
    set(header ${CMAKE_MATCH_1})
    if(NOT DEFINED owner_${header})
      message(FATAL_ERROR "engine/${rel} has no folder in check_engine_imports.cmake")
    endif()
    set(folder ${owner_${header}})
  elseif(rel MATCHES "^src/([a-z]+)/")
    set(folder ${CMAKE_MATCH_1})
    if(NOT DEFINED rank_${folder})
      message(FATAL_ERROR "engine/${rel}: folder '${folder}' has no rank in "
                          "check_engine_imports.cmake")
    endif()
  else()
    continue()  # torch_pch.h, torch_compat.h: LibTorch's own, included by nn and ml
  endif()
  file(STRINGS "${file}" includes REGEX "^#include \"[a-z]+/")
  foreach(line ${includes})
    string(REGEX REPLACE "^#include \"([a-z]+)/([a-z_]+).*" "\\1;\\2" parts "${line}")
    list(GET parts 0 target)
    list(GET parts 1 name)
    if(target STREQUAL "vidrnn")
      if(NOT DEFINED owner_${name})
        message(FATAL_ERROR "engine/${rel}: ${line} names no header in the table")
      endif()
      set(target ${owner_${name}})
    elseif(NOT DEFINED rank_${target})
      message(FATAL_ERROR "engine/${rel}: ${line} names no engine folder")
    endif()
    import_arrow(${folder} ${target} "engine/${rel}" "${line}")
  endforeach()
endforeach()
import_verdict(engine "${ENGINE_DIR}" 200)
