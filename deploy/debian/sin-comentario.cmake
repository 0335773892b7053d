# Run by cpack (CPACK_PRE_BUILD_SCRIPTS, deploy/install.cmake) on the staged
# files, before CPackDeb splits the debug symbols off and strips: removes
# the compiler's .comment section from the ELF files, as Debian's dh_strip
# does (objcopy --remove-section=.comment).
file(GLOB_RECURSE _files LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(f ${_files})
  if(IS_SYMLINK "${f}")
    continue()
  endif()
  file(READ "${f}" _magic LIMIT 4 HEX)
  if(_magic STREQUAL "7f454c46")
    execute_process(COMMAND objcopy --remove-section=.comment "${f}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "objcopy --remove-section=.comment ${f} falló")
    endif()
  endif()
endforeach()
