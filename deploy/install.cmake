# Installation rules (cmake --install) and the Debian package (cpack -G DEB).
# Included from the top-level CMakeLists.txt.
#
# A package or system install is configured with the install layout, so the
# binaries look for their data where it is installed:
#
#   cmake -S . -B build-deb -DPMM_INSTALL_LAYOUT=ON -DCMAKE_INSTALL_PREFIX=/usr \
#         -DPMM_MAINTAINER="Nombre <correo@dominio>"
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#
# (deploy/package.sh does that, with Debian's hardening flags.) Layout, with
# prefix /usr:
#   /usr/bin/{ingestd,clasificd,aggregd,pmm}, /usr/libexec/pmm/pmm-red
#   /usr/share/pmm/            data files (PMM_DATA_DIR of the binaries)
#   /usr/share/pmm/sql/        the SQL migrations (also compiled in)
#   /etc/pmm/pmm.conf          the documented example configuration (0640)
#   /etc/pgbackrest/conf.d/pmm.conf   the pgBackRest stanza "pmm" (backups)
#   /usr/share/pmm/respaldo/   postgresql-archivo.conf (archive_command)
#   /lib/systemd/system/       the units of PMM_SYSTEMD_UNITS (below)
#   /usr/lib/sysusers.d/pmm.conf   the system user pmm
#   /usr/share/man/man{1,5,8}/ the manual pages, in Spanish (docs/man)
#   /usr/share/doc/pmm-seguimiento/  README.md, DEPLOY.md, the example,
#                              copyright (DEP-5), changelog.gz
#   /usr/share/lintian/overrides/pmm-seguimiento
# The package's debug symbols go in pmm-seguimiento-dbgsym.

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

# The Maintainer field (and the changelog's signature, the copyright's
# contact): set it to the unit that deploys the package.
set(PMM_MAINTAINER "Unidad de Política Migratoria <pmm-seguimiento@example.gob.mx>"
    CACHE STRING "Maintainer of the Debian package: \"Nombre <correo@dominio>\"")
if(NOT PMM_MAINTAINER MATCHES "^[^<>@]*[^<>@ ] <[^<>@ ]+@[^<>@ ]+\\.[^<>@ ]+>$")
  message(FATAL_ERROR "PMM_MAINTAINER=\"${PMM_MAINTAINER}\" no tiene la forma "
                      "\"Nombre <correo@dominio>\"")
endif()

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
# Backups (deploy/README.md, section 9): pgBackRest's stanza, and the
# archiving lines the administrator links into PostgreSQL's conf.d.
set(PMM_PGBACKREST_CONF "${CMAKE_INSTALL_FULL_SYSCONFDIR}/pgbackrest/conf.d/pmm.conf")
install(FILES ${CMAKE_SOURCE_DIR}/deploy/respaldo/pgbackrest-pmm.conf
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/pgbackrest/conf.d RENAME pmm.conf)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/respaldo/postgresql-archivo.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pmm/respaldo)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/README.md DESTINATION ${PMM_DOC_DIR}
        RENAME DEPLOY.md)

# --- systemd units ----------------------------------------------------------
# Every unit in deploy/systemd, by name: add a new unit here. The maintainer
# scripts enable (deb-systemd-helper) the units with an [Install] section,
# restart on upgrade the services and timers that are running (every
# instance of a template), and stop them all on remove; a Type=oneshot
# service (a job a timer runs) is stopped on remove but never restarted.
set(PMM_SYSTEMD_UNITS
    pmm.target
    pmm-ingestd.service
    pmm-clasificd@.service
    pmm-aggregd.service
    pmm-respaldo.service
    pmm-respaldo.timer)

set(_pmm_systemd_src ${CMAKE_SOURCE_DIR}/deploy/systemd)
file(GLOB _pmm_unit_files RELATIVE ${_pmm_systemd_src} CONFIGURE_DEPENDS
     ${_pmm_systemd_src}/*.service ${_pmm_systemd_src}/*.target ${_pmm_systemd_src}/*.timer
     ${_pmm_systemd_src}/*.socket ${_pmm_systemd_src}/*.path)
foreach(u ${_pmm_unit_files})
  if(NOT u IN_LIST PMM_SYSTEMD_UNITS)
    message(FATAL_ERROR "deploy/systemd/${u} no está en PMM_SYSTEMD_UNITS (deploy/install.cmake)")
  endif()
endforeach()

set(_pmm_enable)
set(_pmm_restart)
set(_pmm_stop)
foreach(u ${PMM_SYSTEMD_UNITS})
  set(_src ${_pmm_systemd_src}/${u})
  if(NOT EXISTS ${_src})
    message(FATAL_ERROR "PMM_SYSTEMD_UNITS nombra ${u}, que no está en deploy/systemd")
  endif()
  file(READ ${_src} _txt)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_src})
  # The units name /usr/bin and /etc/pmm (the package's layout); another
  # prefix gets its own paths substituted.
  string(REPLACE "/usr/bin/" "${CMAKE_INSTALL_FULL_BINDIR}/" _out "${_txt}")
  string(REPLACE "/etc/pmm" "${PMM_CONF_DIR}" _out "${_out}")
  file(WRITE ${CMAKE_BINARY_DIR}/systemd/${u} "${_out}")
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${u} DESTINATION ${PMM_SYSTEMD_UNIT_DIR})

  if(_txt MATCHES "(^|\n)\\[Install\\]")
    list(APPEND _pmm_enable ${u})
  endif()
  # a template's running instances: systemctl takes the pattern
  string(REGEX REPLACE "@\\.([a-z]+)$" "@*.\\1" _running ${u})
  list(APPEND _pmm_stop ${_running})
  if(NOT u MATCHES "\\.target$" AND NOT _txt MATCHES "\nType=oneshot")
    list(APPEND _pmm_restart ${_running})
  endif()
endforeach()
string(REPLACE ";" " " PMM_UNITS_ENABLE "${_pmm_enable}")
string(REPLACE ";" " " PMM_UNITS_RESTART "${_pmm_restart}")
string(REPLACE ";" " " PMM_UNITS_STOP "${_pmm_stop}")
install(FILES ${_pmm_systemd_src}/sysusers-pmm.conf
        DESTINATION ${PMM_SYSUSERS_DIR} RENAME pmm.conf)

# --- changelog, copyright, lintian overrides ----------------------------------
# deploy/debian/changelog.in is the package's changelog; its newest entry
# must be the project's version, and its date is the date of the build's
# outputs (SOURCE_DATE_EPOCH for the manual pages), as dpkg-buildpackage
# does.
set(_pmm_deb ${CMAKE_BINARY_DIR}/debian)
file(READ ${CMAKE_SOURCE_DIR}/deploy/debian/changelog.in _pmm_changelog)
if(NOT _pmm_changelog MATCHES "^pmm-seguimiento \\(([^)]+)\\)")
  message(FATAL_ERROR "deploy/debian/changelog.in no empieza con una entrada de pmm-seguimiento")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "deploy/debian/changelog.in: la última entrada es ${CMAKE_MATCH_1} y "
                      "el proyecto es ${PROJECT_VERSION} (CMakeLists.txt): añada la entrada")
endif()
if(NOT _pmm_changelog MATCHES "\n -- [^\n]+  ([^\n]+)\n")
  message(FATAL_ERROR "deploy/debian/changelog.in: la última entrada no tiene firma con fecha")
endif()
execute_process(COMMAND date -u -d "${CMAKE_MATCH_1}" +%s
                OUTPUT_VARIABLE PMM_FECHA_EPOCH OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "deploy/debian/changelog.in: fecha no válida: ${CMAKE_MATCH_1}")
endif()
configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/changelog.in ${_pmm_deb}/changelog @ONLY)
execute_process(COMMAND gzip -9n -c ${_pmm_deb}/changelog
                OUTPUT_FILE ${_pmm_deb}/changelog.gz RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "gzip: no se pudo comprimir ${_pmm_deb}/changelog")
endif()
configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/copyright.in ${_pmm_deb}/copyright @ONLY)
install(FILES ${_pmm_deb}/changelog.gz ${_pmm_deb}/copyright DESTINATION ${PMM_DOC_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME pmm-seguimiento)

# --- manual pages -------------------------------------------------------------
# Generated by running the built pmm; a sanitizer build's pmm would report
# glibc's own locale allocations (LeakSanitizer) while help2man reads it, and
# no package is made from such a build.
if(NOT PMM_SANITIZE)
  add_subdirectory(${CMAKE_SOURCE_DIR}/docs/man ${CMAKE_BINARY_DIR}/man)
endif()

# --- Debian package -------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pmm-seguimiento)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "pmm-seguimiento")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "seguimiento del Pacto Mundial para la Migración (PMM)")
set(CPACK_PACKAGE_DESCRIPTION
    "Sistema con el que una unidad de política migratoria da seguimiento a la
implementación del Pacto Mundial para una Migración Segura, Ordenada y
Regular: recibe las fichas técnicas anuales de las dependencias federales y
de los gobiernos estatales, las guarda en PostgreSQL, las clasifica (ejes,
subtemas, ODS, retos) y mantiene los totales por año e institución.

Incluye los servicios ingestd (colector, ZeroMQ con CURVE), clasificd
(clasificador) y aggregd (totales), con sus unidades de systemd, y la línea
de órdenes pmm, en español, para enviar fichas, consultar totales y generar
el Informe Ejecutivo y el Compendio General.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PMM_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries of the binaries (dpkg-shlibdeps), and
# adduser for the postinst (deb-systemd-helper comes with
# init-system-helpers, which is Essential).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-client, pgbackrest")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, postgresql-contrib, pgbouncer")
# binaries stripped; their debug symbols in pmm-seguimiento-dbgsym
# (/usr/lib/debug/.build-id/, found by gdb through the build id)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# and without the compiler's .comment section, as dh_strip leaves them
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/deploy/debian/sin-comentario.cmake)
foreach(s postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/deploy/debian/${s} ${_pmm_deb}/${s} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                 GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
file(WRITE ${_pmm_deb}/conffiles "${PMM_CONF_DIR}/pmm.conf\n${PMM_PGBACKREST_CONF}\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_pmm_deb}/postinst ${_pmm_deb}/prerm ${_pmm_deb}/postrm ${_pmm_deb}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
