# Install rules, the CMake package (find_package(hotline)) and the pkg-config file (C ABI).
include(CMakePackageConfigHelpers)

set(HOTLINE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hotline)
set(_targets hotline)
if(TARGET hotline_capi)
  list(APPEND _targets hotline_capi)
endif()
install(TARGETS ${_targets} EXPORT hotlineTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/hotline DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET hotline_capi)
  install(DIRECTORY capi/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
endif()
if(TARGET hotline_cli)
  install(TARGETS hotline_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT hotlineTargets NAMESPACE hotline:: DESTINATION ${HOTLINE_CMAKE_DIR})
configure_package_config_file(cmake/hotlineConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/hotlineConfig.cmake
                              INSTALL_DESTINATION ${HOTLINE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hotlineConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hotlineConfig.cmake
              ${PROJECT_BINARY_DIR}/hotlineConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCBC.cmake
        DESTINATION ${HOTLINE_CMAKE_DIR})
if(TARGET hotline_capi)
  configure_file(cmake/hotline.pc.in ${PROJECT_BINARY_DIR}/hotline.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/hotline.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
install(DIRECTORY examples/calendars DESTINATION ${CMAKE_INSTALL_DATADIR}/hotline)
