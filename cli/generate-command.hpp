// generate-command.hpp — `mvgen generate`: one job (local or --backend cloud)
// or a batch (--batch, one output per input), each a JobSpec run by
// mv::JobRunner, the path the plugin's jobs take too.
#pragma once

#include "args.hpp"
#include "progress-printer.hpp"

namespace mv {
class CancelToken;
struct JobResult;
}

namespace mvcli {

/// `mvgen generate INPUT -o OUT.mp4 [options]` and its --batch form. Returns
/// the exit code; errors of a single job are thrown (mv::Error) for main() to
/// print and map.
int generate_command(const Args& args, const mv::CancelToken& cancel, ProgressPrinter& printer);

/// `mvgen soundtrack VIDEO -o OUT.mp4 [--music FILE|FOLDER] [--prompt TEXT]
/// [--seed N] [--force] [--json]`: background music for a clip (a JobSpec of
/// kind background_music on the local engine). Errors thrown as generate's.
int soundtrack_command(const Args& args, const mv::CancelToken& cancel, ProgressPrinter& printer);

/// `mvgen preview INPUT -o FRAME.png [--at S] [look and frame options]`: one
/// frame of the video generate would make, as a PNG (mv::render_preview).
int preview_command(const Args& args, const mv::CancelToken& cancel);

/// Prints a finished job: its --json "result" line, or "Wrote OUT (…)" (and the
/// timeline of a local job) on stdout.
void print_result(const mv::JobResult& result, bool json, bool with_timeline = true);

}  // namespace mvcli
