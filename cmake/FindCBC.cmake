# FindCBC: COIN-OR Branch-and-Cut through its C interface (Debian: coinor-libcbc-dev).
# Defines CBC::CBC. Installed beside hotlineConfig.cmake so that consumers of the static
# library find it too.
find_path(CBC_INCLUDE_DIR coin/Cbc_C_Interface.h)
find_library(CBC_SOLVER_LIBRARY NAMES CbcSolver)
find_library(CBC_LIBRARY NAMES Cbc)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CBC REQUIRED_VARS CBC_SOLVER_LIBRARY CBC_LIBRARY CBC_INCLUDE_DIR)
if(CBC_FOUND AND NOT TARGET CBC::CBC)
  add_library(CBC::CBC INTERFACE IMPORTED)
  set_target_properties(CBC::CBC PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${CBC_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CBC_SOLVER_LIBRARY};${CBC_LIBRARY}")
endif()
mark_as_advanced(CBC_INCLUDE_DIR CBC_SOLVER_LIBRARY CBC_LIBRARY)
