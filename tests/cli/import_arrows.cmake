# What check_engine_imports.cmake and check_ui_imports.cmake share: each ranks
# its folders (rank_<folder>, lowest 0) and passes every include through
# import_arrow, then calls import_verdict once.

# Counts an include of folder `to` from folder `from` and notes it when `to`
# does not rank below `from` (a folder may include itself).
macro(import_arrow from to where line)
  math(EXPR checked "${checked} + 1")
  if(NOT "${to}" STREQUAL "${from}" AND NOT rank_${to} LESS rank_${from})
    string(APPEND arrows "\n  ${where}: ${line} (${from} may not include ${to})")
  endif()
endmacro()

# Fails on any arrow noted, or when fewer than `minimum` includes were seen
# (the tree was not where the check looked).
function(import_verdict tree dir minimum)
  if(arrows)
    message(FATAL_ERROR "${tree} includes that run back up:${arrows}")
  endif()
  if(checked LESS minimum)
    message(FATAL_ERROR "only ${checked} ${tree} includes found under ${dir}")
  endif()
  message(STATUS "${checked} ${tree} includes, none running back up")
endfunction()
