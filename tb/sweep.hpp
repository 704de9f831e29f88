// `rpusim sweep`: runs many configurations of one study, each point as its own
// `rpusim run` process, several at a time, and gathers their reports into one CSV table
// and gnuplot plots. A point that fails is recorded with its message; the others go on.
// A point whose report already exists with status "complete" is not run again, so an
// interrupted sweep resumes where it stopped. `--only` runs the points of some sweeps and
// leaves the others as they are: their complete reports still fill the table.
#pragma once

#include <string>
#include <vector>

namespace rpusim {

struct SweepOptions {
  std::string study_path;
  std::string out_dir;
  int jobs = 1;
  std::vector<std::string> overrides;  // applied to every point, before the point's own
  std::string rpusim_path;             // the executable to run points with
  bool plots = true;
  bool dry_run = false;                // list the points, run nothing
  std::vector<std::string> only;       // run only the points of these sweeps and references
};

// Runs the study and returns the process exit code (0 when every point completed).
int run_sweep(const SweepOptions& options);

}  // namespace rpusim
