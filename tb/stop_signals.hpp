// Signal handling shared by `rpusim run` and `rpusim sweep`: SIGINT and SIGTERM ask the
// running work to stop early (a partial report, or interrupted sweep points) rather than
// killing the process.
#pragma once

#include <csignal>

namespace rpusim {

// Installs `handler` for SIGINT and SIGTERM for the object's lifetime and restores the
// previous dispositions on destruction. A signal that was ignored when the object was
// made stays ignored: a job started with `&` from a non-interactive shell ignores SIGINT,
// and Ctrl-C in that shell must not stop it.
class StopSignalHandler {
 public:
  explicit StopSignalHandler(void (*handler)(int)) {
    install(SIGINT, handler, m_previous_interrupt);
    install(SIGTERM, handler, m_previous_terminate);
  }
  ~StopSignalHandler() {
    sigaction(SIGINT, &m_previous_interrupt, nullptr);
    sigaction(SIGTERM, &m_previous_terminate, nullptr);
  }
  StopSignalHandler(const StopSignalHandler&) = delete;
  StopSignalHandler& operator=(const StopSignalHandler&) = delete;

 private:
  static void install(int signal_number, void (*handler)(int), struct sigaction& previous) {
    sigaction(signal_number, nullptr, &previous);
    if (previous.sa_handler == SIG_IGN) return;
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(signal_number, &action, nullptr);
  }

  struct sigaction m_previous_interrupt {};
  struct sigaction m_previous_terminate {};
};

}  // namespace rpusim
