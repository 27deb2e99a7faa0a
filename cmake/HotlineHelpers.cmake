# Small helpers shared by the component folders.

# hotline_component_sources(<file>...): adds sources of the current component to hotline::hotline.
function(hotline_component_sources)
  target_sources(hotline PRIVATE ${ARGN})
endfunction()

# hotline_c_test(<name> <source.c>): a C99 program against the C ABI, built with
# -std=c99 -Wall -Wextra -pedantic -Werror and registered with CTest (label "capi").
function(hotline_c_test name source)
  if(NOT TARGET hotline_capi)
    return()
  endif()
  add_executable(${name} ${source})
  set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(${name} PRIVATE -Wall -Wextra -pedantic -Werror)
  target_compile_definitions(${name} PRIVATE HOTLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/capi)
  target_link_libraries(${name} PRIVATE hotline::capi)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "capi")
endfunction()

# hotline_python_test(<component>): runs the pytest files of tests/<component>/ with the Debian
# interpreter the module was built for (label "python").
function(hotline_python_test component)
  if(NOT TARGET _hotline)
    return()
  endif()
  set(env "PYTHONPATH=${HOTLINE_PYTHON_DIR}" "HOTLINE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(TARGET hotline_cli)
    list(APPEND env "HOTLINE_CLI=$<TARGET_FILE:hotline_cli>")
  endif()
  add_test(NAME python_${component}
           COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(python_${component} PROPERTIES LABELS "python" ENVIRONMENT "${env}")
endfunction()
