// libstdc++ 12 headers call std::__throw_bad_array_new_length (GLIBCXX_3.4.29) from inline
// allocation code; defining it here (hidden, like every symbol of the addon) keeps the prebuilt
// binaries loadable with the libstdc++ of older distributions (GLIBCXX 3.4.22, GCC 6).
#include <new>  // defines __GLIBCXX__ and _GLIBCXX_RELEASE on libstdc++

#if defined(__GLIBCXX__) && defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE >= 11

namespace std {
[[noreturn]] void __throw_bad_array_new_length() { throw std::bad_alloc(); }
}  // namespace std
#endif
