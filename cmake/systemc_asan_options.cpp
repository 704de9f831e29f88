// Default AddressSanitizer options of the programs that link SystemC, compiled into them when
// RPUSIM_SANITIZE is ON (models/CMakeLists.txt). ASAN_OPTIONS in the environment overrides
// them.
//
// detect_leaks=0: LeakSanitizer's heap scan reads the PROT_NONE guard page that SystemC
// 2.3.4 puts into the heap-allocated stack of every SC_THREAD (sc_cor_qt::stack_protect,
// QuickThreads coroutines), and crashes at exit with "Tracer caught signal 11". The
// SystemC-free unit tests and the fuzz targets keep leak detection. AddressSanitizer's
// other checks and UndefinedBehaviorSanitizer stay on everywhere.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
