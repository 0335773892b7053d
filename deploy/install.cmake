# Installation rules (cmake --install) and the Debian package (cpack -G DEB).
# Included from the top-level CMakeLists.txt.
#
# A package or system install is configured with the install layout, so the
# binaries look for their data where it is installed:
#
#   cmake -S . -B build-deb -DPMM_INSTALL_LAYOUT=ON -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#
# (deploy/package.sh does exactly that.) Layout, with prefix /usr:
#   /usr/bin/{ingestd,clasificd,aggregd,pmm}
#   /usr/share/pmm/            data files (PMM_DATA_DIR of the binaries)
#   /usr/share/pmm/sql/        the SQL migrations (also compiled in)
#   /etc/pmm/pmm.conf          the documented example configuration
#   /lib/systemd/system/       pmm.target, pmm-ingestd.service,
#                              pmm-clasificd@.service, pmm-aggregd.service
#   /usr/lib/sysusers.d/pmm.conf   the system user pmm
#   /usr/share/doc/pmm-seguimiento/  README.md, deploy/README.md, example

if(NOT PMM_INSTALL_LAYOUT)
  message(STATUS "PMM_INSTALL_LAYOUT=OFF: the binaries read data from ${PMM_DATA_DIR}; "
                 "use -DPMM_INSTALL_LAYOUT=ON for `cmake --install` or cpack")
endif()

# systemd's directories: /lib/... for a /usr prefix (Debian 12 keeps units
# there), under the prefix otherwise.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(_pmm_unitdir_default "/lib/systemd/system")
  set(_pmm_sysusers_default "/usr/lib/sysusers.d")
else()
  set(_pmm_unitdir_default "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  set(_pmm_sysusers_default "${CMAKE_INSTALL_PREFIX}/lib/sysusers.d")
endif()
set(PMM_SYSTEMD_UNIT_DIR "${_pmm_unitdir_default}" CACHE PATH "where systemd units are installed")
set(PMM_SYSUSERS_DIR "${_pmm_sysusers_default}" CACHE PATH "where sysusers.d files are installed")
set(PMM_CONF_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/pmm")
set(PMM_DOC_DIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/pmm-seguimiento")

install(TARGETS ingestd clasificd aggregd pmm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# run by pmm for the commands that talk to the daemons (cli/main.c)
install(TARGETS pmm-red RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/pmm)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/pmm)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/lib/db/sql/ DESTINATION ${CMAKE_INSTALL_DATADIR}/pmm/sql
        FILES_MATCHING PATTERN "*.sql")
install(FILES ${CMAKE_SOURCE_DIR}/deploy/pmm.conf.example
        DESTINATION ${PMM_CONF_DIR} RENAME pmm.conf
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/deploy/pmm.conf.example
        DESTINATION ${PMM_DOC_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/README.md DESTINATION ${PMM_DOC_DIR}
        RENAME DEPLOY.md)

# The units name /usr/bin and /etc/pmm (the package's layout); another
# prefix gets its own paths substituted.
set(_pmm_units pmm.target pmm-ingestd.service pmm-clasificd@.service pmm-aggregd.service)
foreach(u ${_pmm_units})
  file(READ ${CMAKE_SOURCE_DIR}/deploy/systemd/${u} _txt)
  string(REPLACE "/usr/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" _txt "${_txt}")
  string(REPLACE "/etc/pmm" "${PMM_CONF_DIR}" _txt "${_txt}")
  file(WRITE ${CMAKE_BINARY_DIR}/systemd/${u} "${_txt}")
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${u} DESTINATION ${PMM_SYSTEMD_UNIT_DIR})
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/deploy/systemd/pmm.target
             ${CMAKE_SOURCE_DIR}/deploy/systemd/pmm-ingestd.service
             ${CMAKE_SOURCE_DIR}/deploy/systemd/pmm-clasificd@.service
             ${CMAKE_SOURCE_DIR}/deploy/systemd/pmm-aggregd.service)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/sysusers-pmm.conf
        DESTINATION ${PMM_SYSUSERS_DIR} RENAME pmm.conf)

# --- Debian package -------------------------------------------------------
set(PMM_PACKAGE_MAINTAINER "pmm-seguimiento <pmm-seguimiento@localhost>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pmm-seguimiento)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "pmm-seguimiento")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Seguimiento del Pacto Mundial para la Migración (PMM): colector, clasificador y totales")
set(CPACK_PACKAGE_DESCRIPTION
    "Collects the yearly fichas técnicas of federal bodies and states over ZeroMQ\n(CURVE), stores them in PostgreSQL, classifies them and keeps totals.\nDaemons ingestd, clasificd and aggregd run as systemd units; pmm is the\nSpanish command line.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PMM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libzmq5 (>= 4.3), libprotobuf-c1, libpq5, libjansson4, libsodium23, libssl3, libinih1, libcsv3, libunistring2, libstemmer0d, libsystemd0, libzip4, libxml2, libxlsxwriter4, passwd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-client")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, pgbouncer")
set(_pmm_deb ${CMAKE_BINARY_DIR}/debian)
foreach(s postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/${s} ${_pmm_deb}/${s} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                 GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
file(WRITE ${_pmm_deb}/conffiles "${PMM_CONF_DIR}/pmm.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_pmm_deb}/postinst ${_pmm_deb}/prerm ${_pmm_deb}/postrm ${_pmm_deb}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
