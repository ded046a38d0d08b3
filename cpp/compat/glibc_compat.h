// Force-included on Linux/glibc builds (see CMakeLists.txt) so the binary runs on old glibc:
// glibc 2.29 gave exp/log/pow new symbol versions (same results, no SVID error handling), and a
// binary built on a newer glibc would require 2.29. Bind them to the original versions instead.
#pragma once
#if defined(__linux__)
#include <features.h>  // defines __GLIBC__ on glibc (not on musl)
#endif
#if defined(__linux__) && defined(__GLIBC__)
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver exp,exp@GLIBC_2.17");
__asm__(".symver log,log@GLIBC_2.17");
__asm__(".symver pow,pow@GLIBC_2.17");
#endif
#endif
