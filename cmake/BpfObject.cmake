# Builds BPF objects with clang -target bpf and generates their libbpf
# skeletons with bpftool.
#
#   nwbpf_bpf_object(<name> SOURCES a.bpf.c ... DEPENDS hdr.h ... [NO_INSTALL])
#
# compiles every source, links them into <name>.bpf.o with `bpftool gen
# object` (so one skeleton covers every entry file) and generates
# <name>.skel.h. Creates an INTERFACE target <name>_skel whose include path
# holds the skeleton, and installs the object to ${NWBPF_BPF_INSTALL_DIR}
# unless NO_INSTALL (test and benchmark programs).

find_program(BPF_CLANG NAMES clang-14 clang REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

# asm/types.h lives under the multiarch include directory on Debian.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
                OUTPUT_VARIABLE NWBPF_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE)

set(NWBPF_BPF_CFLAGS -g -O2 -target bpf -Wall -Werror -D__TARGET_ARCH_x86
    -I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}
    -I${PROJECT_SOURCE_DIR}/bpf -I/usr/include/${NWBPF_MULTIARCH})

function(nwbpf_bpf_object name)
  cmake_parse_arguments(ARG "NO_INSTALL" "" "SOURCES;DEPENDS" ${ARGN})
  set(outdir ${CMAKE_CURRENT_BINARY_DIR})
  set(objects)
  foreach(src ${ARG_SOURCES})
    get_filename_component(base ${src} NAME_WE)
    set(obj ${outdir}/${base}.tmp.o)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${BPF_CLANG} ${NWBPF_BPF_CFLAGS} -c ${CMAKE_CURRENT_SOURCE_DIR}/${src} -o ${obj}
      DEPENDS ${src} ${ARG_DEPENDS}
      IMPLICIT_DEPENDS C ${CMAKE_CURRENT_SOURCE_DIR}/${src}
      COMMENT "BPF ${src}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  set(linked ${outdir}/${name}.bpf.o)
  set(skel ${outdir}/${name}.skel.h)
  add_custom_command(
    OUTPUT ${linked} ${skel}
    COMMAND ${BPFTOOL} gen object ${linked} ${objects}
    COMMAND ${BPFTOOL} gen skeleton ${linked} name ${name} > ${skel}
    DEPENDS ${objects}
    COMMENT "BPF link + skeleton ${name}"
    VERBATIM)
  add_custom_target(${name}_bpf ALL DEPENDS ${linked} ${skel})
  add_library(${name}_skel INTERFACE)
  add_dependencies(${name}_skel ${name}_bpf)
  target_include_directories(${name}_skel INTERFACE ${outdir})
  set_property(TARGET ${name}_skel PROPERTY NWBPF_OBJECT ${linked})
  if(NOT ARG_NO_INSTALL)
    install(FILES ${linked} DESTINATION ${NWBPF_BPF_INSTALL_DIR})
  endif()
endfunction()
